import * as vscode from 'vscode';
import type { PgSession, PoolCounters } from '../../lazy/pg';
import type { Ctx } from '../ctx';
import { pg } from '../lazy';
import { type PgConnection, PgConnections } from './connections';
import type { PgNode } from './nodes';
import { PgQueries } from './queries';
import { StatsDocs } from './statsDocs';
import { PgTree } from './tree';
import { readSetting } from '../settings';

/** An index build under way: its cancel, and a promise kept at its first progress report. */
export interface RunningBuild { cancel(): Promise<void>; progressed: Promise<void> }

interface OpenSession {
  /** The connection's settings when the session was made: a change closes it. */
  made: string;
  session: Promise<PgSession>;
  /** The database the session is on, once open (a connection's default one is known only then). */
  database?: string;
}

/**
 * The PostgreSQL area's state, owned by Ctx and made on first use: saved connections, one pooled
 * session per (connection, database), and the tree the SQL view shows after its SQLite databases.
 * Nothing here loads node-postgres until a session is asked for.
 */
export class PgServices implements vscode.Disposable {
  readonly connections: PgConnections;
  readonly tree: PgTree;
  /** Query editors bound to a connection's database, their runs and results. */
  readonly queries: PgQueries;
  /** The statistics documents (storage-pg-stats:), registered by pg/register.ts. */
  readonly statsDocs = new StatsDocs();
  /** Index builds under way, so they can be cancelled from outside their progress notification. */
  readonly builds = new Set<RunningBuild>();
  private buildWaiters: ((b: RunningBuild) => void)[] = [];
  private readonly sessions = new Map<string, OpenSession>();
  /** Fires with the node that changed, or undefined when the connections changed. */
  readonly onDidChange: vscode.Event<PgNode | undefined>;

  constructor(private readonly ctx: Ctx) {
    this.connections = new PgConnections(ctx);
    this.tree = new PgTree(this, this.connections);
    this.onDidChange = this.tree.onDidChangeTreeData;
    this.queries = new PgQueries(ctx, (id, database) => this.session(id, database));
    ctx.subscribe(this, this.tree, this.queries, this.connections.onDidChange(() => void this.connectionsChanged()));
  }

  /**
   * The pooled session of a connection's database (its configured one when omitted), opened on
   * first use. The pool replaces connections a server restart cut; a failed open is not kept, so
   * the next call tries again.
   */
  session(connectionId: string, database?: string): Promise<PgSession> {
    const conn = this.connections.get(connectionId);
    // A new statement timeout applies to sessions made after the change.
    const made = JSON.stringify([conn, readSetting('pg.statementTimeoutMs')]);
    const key = this.keyOf(connectionId, database);
    const open = this.sessions.get(key);
    if (open && open.made === made) return open.session;
    if (open) void this.closeOne(key);
    const session = this.open(conn, database);
    const entry: OpenSession = { made, session };
    this.sessions.set(key, entry);
    session.then((s) => {
      this.ready.set(session, s);
      entry.database = s.conn.database;
    }, () => {
      if (this.sessions.get(key)?.session === session) this.sessions.delete(key);
    });
    return session;
  }

  /** A database that is the connection's default one shares the default's pool. */
  private keyOf(connectionId: string, database: string | undefined): string {
    const main = `${connectionId}\0`;
    return database === undefined || this.sessions.get(main)?.database === database ? main : `${main}${database}`;
  }

  private async open(conn: PgConnection, database?: string): Promise<PgSession> {
    const core = pg();
    const password = await this.connections.password(conn.id);
    const params = { host: conn.host, port: conn.port, database: database ?? conn.database, user: conn.user, sslmode: conn.sslmode, sslrootcert: conn.sslrootcert, service: conn.service };
    const { conn: resolved, password: pw } = core.resolveConnection(password === undefined ? { params } : { params, password });
    for (const note of resolved.notes) this.ctx.log.warn(`PostgreSQL ${conn.name}: ${note}`);
    const timeout = readSetting('pg.statementTimeoutMs');
    const session = await core.PgSession.open(resolved, pw, { readOnly: conn.readOnly === true, ...(timeout > 0 ? { statementTimeoutMs: timeout } : {}) });
    this.ctx.log.info(`PostgreSQL ${conn.name}: connected to ${session.describe()}${conn.readOnly ? ', read-only' : ''}`);
    return session;
  }

  /** Pool counters of every open session of a connection, by database. */
  counters(connectionId: string): { database: string; counters: PoolCounters }[] {
    const out: { database: string; counters: PoolCounters }[] = [];
    for (const [key, s] of this.sessions) {
      if (!key.startsWith(`${connectionId}\0`)) continue;
      const ready = this.ready.get(s.session);
      if (ready) out.push({ database: ready.conn.database, counters: ready.counters() });
    }
    return out;
  }

  /** Sessions that finished opening, so counters can be read without waiting. */
  private readonly ready = new WeakMap<Promise<PgSession>, PgSession>();

  startedBuild(b: RunningBuild): void {
    this.builds.add(b);
    for (const w of this.buildWaiters.splice(0)) w(b);
  }

  /** A build under way, or the next one to start. */
  nextBuild(): Promise<RunningBuild> {
    const [b] = [...this.builds];
    return b ? Promise.resolve(b) : new Promise((r) => this.buildWaiters.push(r));
  }

  /** Closes every session of a connection (after an edit or a remove) and forgets its cached tree. */
  async closeSessions(connectionId: string): Promise<void> {
    const keys = [...this.sessions.keys()].filter((k) => k.startsWith(`${connectionId}\0`));
    await Promise.all(keys.map((k) => this.closeOne(k)));
    this.tree.forget(connectionId);
  }

  private async closeOne(key: string): Promise<void> {
    const s = this.sessions.get(key);
    this.sessions.delete(key);
    if (!s) return;
    const session = await s.session.catch(() => undefined);
    await session?.close();
  }

  /** Redraws one node of the tree (after its children were re-read), or the whole PostgreSQL part. */
  refresh(node?: PgNode): void {
    this.tree.refresh(node);
  }

  private async connectionsChanged(): Promise<void> {
    const list = this.connections.list();
    this.queries.connectionsNow(new Set(list.map((c) => c.id)));
    const current = new Map(list.map((c) => [c.id, JSON.stringify([c, readSetting('pg.statementTimeoutMs')])]));
    const stale = [...this.sessions.entries()].filter(([key, s]) => current.get(key.slice(0, key.indexOf('\0'))) !== s.made);
    await Promise.all(stale.map(([key]) => this.closeOne(key)));
    for (const id of new Set(stale.map(([key]) => key.slice(0, key.indexOf('\0'))))) this.tree.forget(id);
    this.tree.refresh();
  }

  dispose(): void {
    for (const key of [...this.sessions.keys()]) void this.closeOne(key);
  }
}
