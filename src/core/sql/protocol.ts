import type { Cell, WireValue } from './cells';
import type { IndexSpec, RowValues } from './edit';
import type { PlanNode } from './plan';
import type { StatementResult } from './query';
import type { CursorInfo, RowsPage, RowsQuery } from './rows';
import type { DiskImage } from './diskImage';
import type { DiskState } from './diskState';
import type { DbStats, Schema } from './schemaTypes';

/** What an open found. */
export interface Opened {
  stats: DbStats;
  /** Only for a file the worker read itself. */
  disk?: DiskState;
  /** Why the view must stay read-only (e.g. a hot journal beside the file). */
  readOnlyReason?: string;
}

/** Every request the main side may send the worker, with its arguments and result. */
export interface Ops {
  /** Answers once the engine is ready (wasm compiled); used to warm a spare worker. */
  ping: { args: Record<string, never>; result: null };
  /**
   * `path`: the worker reads the file itself (one read, off the main thread, with its -wal
   * applied) and answers with the disk state a save must find; else `bytes`.
   */
  open: { args: { bytes?: Uint8Array; path?: string; name: string; image?: DiskImage }; result: Opened };
  stats: { args: Record<string, never>; result: DbStats };
  schema: { args: Record<string, never>; result: Schema };
  openCursor: { args: RowsQuery; result: CursorInfo };
  page: { args: { cursor: number; offset: number; limit: number }; result: RowsPage };
  closeCursor: { args: { cursor: number }; result: null };
  /** "Show all": bounded (SHOW_ALL_CHARS); a longer value says its full length. */
  cell: { args: { table: string; key: WireValue[]; column: string }; result: Cell };
  /** The whole value, as bytes, for a file or an editor; never for a webview. */
  cellValue: { args: { table: string; key: WireValue[]; column: string }; result: { kind: 'null' | 'text' | 'blob' | 'number'; bytes: Uint8Array } };
  run: { args: { script: string; offset?: number; selection?: [number, number]; maxRows?: number }; result: StatementResult[] };
  explain: { args: { sql: string }; result: PlanNode[] };
  insert: { args: { table: string; values: RowValues }; result: WireValue[] };
  update: { args: { table: string; key: WireValue[]; values: RowValues }; result: null };
  delete: { args: { table: string; key: WireValue[] }; result: null };
  createIndex: { args: IndexSpec; result: null };
  dropIndex: { args: { name: string }; result: null };
  /** The database file's bytes, for saving. */
  export: { args: Record<string, never>; result: Uint8Array };
  /** The bytes just exported were saved: the database is clean again. */
  markSaved: { args: Record<string, never>; result: null };
}

export type Op = keyof Ops;

export interface Request<K extends Op = Op> {
  id: number;
  op: K;
  args: Ops[K]['args'];
}

export interface WireError {
  message: string;
  code?: string;
  detail?: unknown;
}

/** `wrote`: the request changed rows or schema (even one that failed part way). */
export type Response =
  | { id: number; ok: true; result: unknown; dirty: boolean; wrote?: boolean }
  | { id: number; ok: false; error: WireError; dirty: boolean; wrote?: boolean };
