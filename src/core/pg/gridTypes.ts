/** Plain data for the rows grid. */

export interface GridColumn { name: string; type: string; notNull: boolean; primaryKey: boolean; /** varlena: may be big, so cells are truncated */ big: boolean }

/** A cell: the server's text, NULL, or the first characters of a big value with its stored size. */
export type Cell = string | null | { truncated: true; preview: string; storedBytes: number };

export interface GridRow {
  /** Primary key values (or the ctid for a table without one), as text. */
  key: string[];
  /** xmin: the row version the optimistic check compares. */
  version: string;
  cells: Cell[];
}

export interface SortKey { column: string; descending?: boolean }

export type FilterOp = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'contains' | 'is null' | 'is not null';
export interface Filter { column: string; op: FilterOp; value?: string }

export interface PageRequest { offset: number; limit: number; sort?: SortKey[]; filters?: Filter[] }

export interface Page {
  offset: number;
  rows: GridRow[];
  /** 'keyset' seeks on the primary key; 'cursor' reads a table without one through a server-side cursor. */
  paging: 'keyset' | 'cursor';
}

/** Characters of a big value shown in a cell; the whole value is fetched on request. */
export const CELL_PREVIEW_CHARS = 2000;
