import pg from 'pg';
import type { CustomTypesConfig, PoolClient, PoolConfig, QueryResultRow } from 'pg';
import { describeConnection, type ResolvedConn } from './config';
import { sendCancel } from './cancel';
import { isConnectionLoss, toPgError } from './pgError';
import { tlsOptions } from './tls';

export interface SessionOptions {
  /** Sets default_transaction_read_only; user statements also run inside BEGIN READ ONLY. */
  readOnly?: boolean;
  statementTimeoutMs?: number;
  /** Pool size; a tree, a grid and a query or two need few connections. */
  max?: number;
}

export interface PoolCounters {
  total: number;
  idle: number;
  waiting: number;
  max: number;
  /** Statements this session sent, so a level's cost in queries can be shown and tested. */
  queriesSent: number;
}

/** Rows as the server's text: exact bigints, numerics, dates and json, nothing parsed on our side. */
export const RAW_TEXT: CustomTypesConfig = { getTypeParser: () => (v: string) => v } as unknown as CustomTypesConfig;

export interface QueryOptions {
  /** Read-only statements are retried once on a new connection when the old one was lost. */
  retry?: boolean;
  raw?: boolean;
}

/** One database on one server: a pg Pool, its counters, and the connection's facts (never the password). */
export class PgSession {
  readonly where: string;
  queriesSent = 0;
  private pool: pg.Pool;
  private closed = false;

  private constructor(readonly conn: ResolvedConn, private readonly config: PoolConfig, readonly options: SessionOptions) {
    this.where = `${conn.user}@${conn.host}:${conn.port}/${conn.database}`;
    this.pool = this.makePool(config);
  }

  /** Opens the pool and proves the connection with one round trip, so a bad password fails here. */
  static async open(conn: ResolvedConn, password: string | undefined, options: SessionOptions = {}): Promise<PgSession> {
    const startup = ['-c default_transaction_read_only=' + (options.readOnly ? 'on' : 'off'), conn.options].filter(Boolean).join(' ');
    const config: PoolConfig = {
      host: conn.host, port: conn.port, database: conn.database, user: conn.user,
      ssl: tlsOptions(conn), application_name: conn.applicationName, options: startup,
      connectionTimeoutMillis: conn.connectTimeout * 1000, max: options.max ?? 5, idleTimeoutMillis: 30_000,
    };
    if (password !== undefined) config.password = password;
    if (options.statementTimeoutMs) config.statement_timeout = options.statementTimeoutMs;
    let s = new PgSession(conn, config, options);
    try {
      await s.query('SELECT 1');
    } catch (e) {
      await s.close();
      // sslmode=prefer: TLS first, then plain, as libpq does.
      if (conn.sslmode !== 'prefer' || !/does not accept TLS/.test((e as Error).message)) throw e;
      s = new PgSession(conn, { ...config, ssl: false }, options);
      await s.query('SELECT 1');
    }
    return s;
  }

  private makePool(config: PoolConfig): pg.Pool {
    const pool = new pg.Pool(config);
    // An idle client whose server went away errors here; the pool drops it and the next checkout reconnects.
    pool.on('error', () => undefined);
    return pool;
  }

  describe(): string {
    return describeConnection(this.conn);
  }

  /** Runs one statement on any pooled connection and returns its rows. */
  async query<T extends QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = [], opts: QueryOptions = {}): Promise<T[]> {
    for (let attempt = 0; ; attempt++) {
      this.queriesSent++;
      try {
        const res = await this.pool.query<T>(opts.raw ? { text, values, types: RAW_TEXT } : { text, values });
        return res.rows;
      } catch (e) {
        const err = toPgError(e, this.where, this.options.statementTimeoutMs);
        if (attempt === 0 && opts.retry !== false && isConnectionLoss(err)) continue;
        throw err;
      }
    }
  }

  /** A connection of its own for work that spans statements (transactions, cursors, cancellable runs). */
  async client(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (e) {
      throw toPgError(e, this.where, this.options.statementTimeoutMs);
    }
  }

  /** Runs `fn` on a dedicated client and gives it back (destroyed if the connection broke). */
  async withClient<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.client();
    let broken: unknown;
    try {
      return await fn(c);
    } catch (e) {
      const err = toPgError(e, this.where, this.options.statementTimeoutMs);
      if (isConnectionLoss(err)) broken = err;
      throw err;
    } finally {
      c.release(broken as Error | undefined);
    }
  }

  /** Sends a real CancelRequest for whatever `c` is running. */
  async cancel(c: PoolClient): Promise<void> {
    const { processID, secretKey } = c as unknown as { processID: number; secretKey: number };
    await sendCancel(this.conn.host, this.conn.port, processID, secretKey);
  }

  /** The backend pid of a dedicated client (to find it in pg_stat_activity or the progress views). */
  static pid(c: PoolClient): number {
    return (c as unknown as { processID: number }).processID;
  }

  counters(): PoolCounters {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount, max: this.config.max ?? 10, queriesSent: this.queriesSent };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end().catch(() => undefined);
  }
}
