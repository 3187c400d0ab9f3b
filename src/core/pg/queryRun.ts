import Cursor from 'pg-cursor';
import type { PoolClient } from 'pg';
import type { Cell } from './gridTypes';
import { CELL_PREVIEW_CHARS } from './gridTypes';
import { toPgError } from './pgError';
import { RAW_TEXT, type PgSession } from './session';

export interface QueryColumn { name: string; typeOid: number }

export interface QueryBatch { rows: Cell[][]; done: boolean }

interface CursorInternals { _result: { fields: { name: string; dataTypeID: number }[]; rowCount: number | null; command: string | null } }

const cell = (v: unknown): Cell => {
  if (v === null || v === undefined) return null;
  const t = String(v);
  return t.length > CELL_PREVIEW_CHARS ? { truncated: true, preview: t.slice(0, CELL_PREVIEW_CHARS), storedBytes: Buffer.byteLength(t) } : t;
};

/**
 * One statement's result, streamed through a cursor: only the batch being read is held, so a
 * million-row result costs what one batch costs. `more()` is "Fetch more"; `cancel()` sends a real
 * CancelRequest. On a read-only connection the statement runs inside BEGIN READ ONLY (after a first
 * statement, so SET TRANSACTION READ WRITE cannot lift it).
 */
export class QueryRun {
  columns: QueryColumn[] = [];
  rowsRead = 0;
  firstRowsMs = 0;
  done = false;
  private closed = false;
  private inTransaction = false;
  private t0 = 0;

  private constructor(private readonly s: PgSession, private readonly client: PoolClient, private readonly cursor: Cursor) {}

  /** Starts `sql` on a connection of its own; rows come with `more()`, and `cancel()` works from now on. */
  static async open(s: PgSession, sql: string): Promise<QueryRun> {
    const t0 = performance.now();
    const client = await s.client();
    let inTransaction = false;
    try {
      if (s.options.readOnly) {
        await client.query('BEGIN READ ONLY');
        inTransaction = true;
        await client.query('SELECT 1');
      }
    } catch (e) {
      client.release(true);
      throw toPgError(e, s.where);
    }
    const cursor = client.query(new Cursor(sql, [], { rowMode: 'array', types: RAW_TEXT }));
    const run = new QueryRun(s, client, cursor);
    run.inTransaction = inTransaction;
    run.t0 = t0;
    return run;
  }

  /** `open` plus the first batch. */
  static async start(s: PgSession, sql: string, batchRows = 500): Promise<{ run: QueryRun; first: QueryBatch }> {
    const run = await QueryRun.open(s, sql);
    return { run, first: await run.more(batchRows) };
  }

  /** The next `n` rows; `done` once the result is exhausted (the connection is then given back). */
  async more(n = 500): Promise<QueryBatch> {
    if (this.done || this.closed) return { rows: [], done: true };
    let rows: unknown[][];
    try {
      rows = (await this.cursor.read(n)) as unknown[][];
    } catch (e) {
      await this.close(true);
      throw toPgError(e, this.s.where, this.s.options.statementTimeoutMs);
    }
    if (this.columns.length === 0) this.columns = this.internals()._result.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID }));
    if (this.firstRowsMs === 0) this.firstRowsMs = performance.now() - this.t0;
    this.rowsRead += rows.length;
    if (rows.length < n) {
      this.done = true;
      await this.close();
    }
    return { rows: rows.map((r) => r.map(cell)), done: this.done };
  }

  private internals(): CursorInternals {
    return this.cursor as unknown as CursorInternals;
  }

  /** The command tag (SELECT, UPDATE, ...) and its row count, once done. */
  get command(): { command: string | null; rowCount: number | null } {
    const r = this.internals()._result;
    return { command: r.command, rowCount: r.rowCount };
  }

  /** The server's pid running this statement. */
  get pid(): number {
    return (this.client as unknown as { processID: number }).processID;
  }

  /** Asks the server to stop the statement; the pending `more()` then fails with Cancelled. */
  async cancel(): Promise<void> {
    if (!this.closed) await this.s.cancel(this.client);
  }

  async close(broken = false): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!broken) await this.cursor.close();
      if (this.inTransaction) await this.client.query(broken ? 'ROLLBACK' : 'COMMIT');
      this.client.release();
    } catch {
      this.client.release(true);
    }
  }
}
