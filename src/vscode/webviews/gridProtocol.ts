// The one protocol between the grid webview (media/grid*.js) and the extension. Neutral on
// purpose: a cell, a key and a filter mean the same for every data source.
import type { CellValue, KeyPart } from '../../core/cellValue';
import type { GridShape, PendingChanges } from './gridSource';

/** A value as the grid shows it (see CellValue): the same for every data source. */
export type GridCell = CellValue;

/** One part of a row's key, exact so the source can bind it again. */
export type GridKeyPart = KeyPart;
export type GridKey = GridKeyPart[];

export interface GridRow {
  key: GridKey;
  cells: GridCell[];
  /** Unsaved state, so the grid can mark it: a new row, or the indexes of edited cells. */
  inserted?: boolean;
  changed?: number[];
  /** Staged for deletion at the next save (sources that stage changes, like PostgreSQL's). */
  deleted?: boolean;
}

/** What the user typed into a cell, or NULL; the source turns text into its column's type. */
export type GridInput = null | { text: string; wasNumber?: boolean };

export type GridFilterOp = 'contains' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'null' | 'notnull';
export interface GridFilter { column: string; op: GridFilterOp; value?: string | number }
export interface GridSort { column: string; desc: boolean }

export interface StatementView {
  sql: string;
  columns: string[];
  rows: GridCell[][];
  truncated: boolean;
  changes: number;
  ms: number;
  /** A server-side cursor still holds rows: the view offers "Fetch more". */
  more?: boolean;
  /** A line under the statement (e.g. the command tag, or where rows were dropped to bound memory). */
  note?: string;
}

/** A failed statement shown in place of the results, with what the server said about it. */
export interface FailureView { sql: string; message: string; detail?: string; hint?: string; position?: number }
export interface PlanView { kind: string; detail: string; children: PlanView[] }

export interface GridState { title: string; dirty: boolean; pending: PendingChanges; readOnly: boolean }

/** Messages from the extension to the grid webview. */
export type ToGrid =
  | { type: 'table'; title: string; shape: GridShape; pageSize: number; sort?: GridSort; filters: GridFilter[] }
  | { type: 'rows'; page: { offset: number; rows: GridRow[] }; generation: number }
  | { type: 'state'; state: GridState }
  | { type: 'cell'; key: GridKey; column: string; value: GridCell; edit: boolean }
  | { type: 'results'; title: string; results: StatementView[] }
  /** Rows fetched on "Fetch more" for the last statement; the view keeps at most `keep` rows. */
  | { type: 'moreRows'; rows: GridCell[][]; more: boolean; keep: number; note?: string }
  /** A statement is running: the old results go, and Cancel is offered. */
  | { type: 'running'; title: string; sql: string; cancellable: boolean }
  | { type: 'failed'; title: string; failure: FailureView }
  | { type: 'plan'; title: string; sql: string; nodes: PlanView[] }
  | { type: 'notice'; message: string }
  | { type: 'error'; message: string };

/** Messages from the grid webview to the extension. */
export type FromGrid =
  | { type: 'ready' }
  | { type: 'page'; offset: number; limit: number; generation: number; after?: GridKey }
  | { type: 'sort'; column: string; desc: boolean }
  | { type: 'clearSort' }
  | { type: 'filter'; filters: GridFilter[] }
  | { type: 'showAll'; key: GridKey; column: string; edit: boolean }
  /** The whole value to a file: "show all" stays bounded, so a long value is saved instead. */
  | { type: 'saveValue'; key: GridKey; column: string }
  | { type: 'update'; key: GridKey; column: string; value: GridInput }
  | { type: 'insert' }
  | { type: 'delete'; keys: GridKey[] }
  | { type: 'save' }
  | { type: 'discard' }
  | { type: 'copy'; offset: number; count: number; columns: number[] }
  /** From a results panel: the next rows of the open cursor, or a cancel of the running statement. */
  | { type: 'fetchMore' }
  | { type: 'cancelQuery' };

/** At most this many rows in one delete or copy request: a bound on what a webview can ask for. */
export const MAX_ROWS_PER_REQUEST = 100_000;
const FILTER_OPS = new Set<string>(['contains', '=', '!=', '<', '<=', '>', '>=', 'null', 'notnull']);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length <= 1_000_000;
const isCount = (v: unknown, max = Number.MAX_SAFE_INTEGER): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;

function isKeyPart(v: unknown): boolean {
  if (v === null || isStr(v)) return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (!isObj(v)) return false;
  return (v.t === 'int' && isStr(v.v)) || (v.t === 'blob' && isStr(v.hex));
}
const isKey = (v: unknown): v is GridKey => Array.isArray(v) && v.length <= 64 && v.every(isKeyPart);

function isInput(v: unknown): boolean {
  return v === null || (isObj(v) && isStr(v.text) && (v.wasNumber === undefined || typeof v.wasNumber === 'boolean'));
}

function isFilter(v: unknown): boolean {
  return isObj(v) && isStr(v.column) && FILTER_OPS.has(v.op as string)
    && (v.value === undefined || isStr(v.value) || (typeof v.value === 'number' && Number.isFinite(v.value)));
}

/** Webview input is untrusted: only known message shapes, with fields of the right types, pass. */
export function isFromGrid(m: unknown): m is FromGrid {
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'ready': case 'clearSort': case 'insert': case 'save': case 'discard': case 'fetchMore': case 'cancelQuery': return true;
    case 'page': return isCount(m.offset) && isCount(m.limit) && isCount(m.generation) && (m.after === undefined || isKey(m.after));
    case 'sort': return isStr(m.column) && typeof m.desc === 'boolean';
    case 'filter': return Array.isArray(m.filters) && m.filters.length <= 1000 && m.filters.every(isFilter);
    case 'showAll': return isKey(m.key) && isStr(m.column) && typeof m.edit === 'boolean';
    case 'saveValue': return isKey(m.key) && isStr(m.column);
    case 'update': return isKey(m.key) && isStr(m.column) && isInput(m.value);
    case 'delete': return Array.isArray(m.keys) && m.keys.length <= MAX_ROWS_PER_REQUEST && m.keys.every(isKey);
    case 'copy': return isCount(m.offset) && isCount(m.count, MAX_ROWS_PER_REQUEST) && Array.isArray(m.columns) && m.columns.length <= 10_000 && m.columns.every((c) => isCount(c));
    default: return false;
  }
}
