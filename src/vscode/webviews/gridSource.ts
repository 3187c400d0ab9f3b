import type * as vscode from 'vscode';
import type { GridCell, GridFilter, GridInput, GridKey, GridRow, GridSort } from './gridProtocol';

/** One column as the grid shows it; `readOnly` says why the column's cells cannot be typed into. */
export interface GridColumnInfo {
  name: string;
  /** The declared type, shown in the header's tooltip. */
  type: string;
  /** Numbers are right-aligned; the source knows which types hold numbers. */
  numeric: boolean;
  key: boolean;
  notNull: boolean;
  readOnly?: string;
}

/** What the grid shows after a (re)open: the columns, and how many rows when that is known. */
export interface GridShape {
  columns: GridColumnInfo[];
  /** Exact row count, when the source knows it cheaply (SQLite counts while laying anchors). */
  total?: number;
  /** A guess (e.g. PostgreSQL's reltuples) that sizes the scrollbar until the last page is seen. */
  estimate?: number;
  /** Why rows cannot be changed here (a view, a read-only database); undefined when they can. */
  readOnlyReason?: string;
  /** How the rows are read, when the user should know (e.g. a server-side cursor for a table without a key). */
  note?: string;
}

/** Unsaved changes, by kind; `other` counts changes made elsewhere (a query) that the grid cannot itemise. */
export interface PendingChanges {
  updated: number;
  inserted: number;
  deleted: number;
  other: boolean;
}

/**
 * The rows of one table, for the grid panel. The panel and the webview know nothing about SQLite
 * or PostgreSQL: a source applies or stages edits, counts what is pending, and saves or discards.
 * SQLite's source (sql/tableSource.ts) changes its in-memory database at once; a PostgreSQL source
 * can stage changes and apply them in one transaction at save.
 */
export interface GridSource {
  /** Panels with the same group share one save (a database): they refresh together. */
  readonly group: string;
  /** Tab title without the dirty marker, e.g. `books — bookshop.db`. */
  readonly title: string;
  /** Fires when the rows or the pending changes changed (an edit here, a query, a save elsewhere). */
  readonly onDidChange: vscode.Event<void>;
  open(query: { sort?: GridSort; filters: GridFilter[] }): Promise<GridShape>;
  /** Rows from `offset`; `after` is the key of the row before it when the grid has it, for keyset paging. */
  page(req: { offset: number; limit: number; after?: GridKey }): Promise<{ offset: number; rows: GridRow[] }>;
  /** A truncated cell's whole value (bounded by the source). */
  fullCell(key: GridKey, column: string): Promise<GridCell>;
  /** The whole value as bytes (text as UTF-8), for a file; never sent to a webview. */
  valueBytes(key: GridKey, column: string): Promise<Uint8Array>;
  update(key: GridKey, column: string, value: GridInput): Promise<void>;
  insert(): Promise<void>;
  /** Asks first (naming the rows) when `confirm` is true; false when the user kept them. */
  delete(keys: GridKey[], confirm: boolean): Promise<boolean>;
  readonly dirty: boolean;
  pending(): PendingChanges;
  save(): Promise<void>;
  discard(): Promise<boolean>;
  dispose(): void;
}
