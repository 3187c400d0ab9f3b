/** Plain-data description of a database's schema, as the pragmas report it. */

export type ColumnHidden = 'normal' | 'hidden' | 'virtual' | 'stored';

export interface Column {
  cid: number;
  name: string;
  /** Declared type as written ('' when none). */
  type: string;
  notNull: boolean;
  /** Default expression text, or null. */
  default: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  pk: number;
  /** Generated columns are 'virtual' or 'stored'; 'hidden' is a virtual table's hidden column. */
  hidden: ColumnHidden;
}

export interface IndexColumn {
  /** Column name; null for an expression or the rowid. */
  name: string | null;
  cid: number;
  desc: boolean;
  collation: string;
  /** Text of an expression column (cid -2). */
  expression?: string;
}

export interface Index {
  name: string;
  table: string;
  unique: boolean;
  /** 'c' created by CREATE INDEX, 'u' a UNIQUE constraint, 'pk' the PRIMARY KEY. */
  origin: 'c' | 'u' | 'pk';
  partial: boolean;
  where?: string;
  /** Key columns in order. */
  columns: IndexColumn[];
  sql: string | null;
}

export interface ForeignKey {
  id: number;
  /** The referenced table. */
  table: string;
  from: string[];
  /** Referenced columns; null entries mean the referenced table's primary key. */
  to: (string | null)[];
  onUpdate: string;
  onDelete: string;
  match: string;
}

export interface Trigger {
  name: string;
  table: string;
  sql: string;
}

export type TableKind = 'table' | 'virtual' | 'shadow';

export interface Table {
  name: string;
  kind: TableKind;
  withoutRowid: boolean;
  strict: boolean;
  /** Virtual tables: the module (fts5, rtree, ...), and whether this sql.js build has it. */
  module?: string;
  moduleAvailable?: boolean;
  columns: Column[];
  indexes: Index[];
  foreignKeys: ForeignKey[];
  triggers: Trigger[];
  sql: string | null;
  /** Columns that identify a row: a rowid alias name for rowid tables, else the primary key. */
  key: string[];
  /** True when `key` is the hidden rowid (not a declared column). */
  keyIsRowid: boolean;
  /** Why something could not be read (e.g. a virtual table module missing from sql.js). */
  problem?: string;
}

export interface View {
  name: string;
  sql: string;
  columns: Column[];
  triggers: Trigger[];
  problem?: string;
}

export interface Schema {
  tables: Table[];
  views: View[];
  indexes: Index[];
  triggers: Trigger[];
}

export interface DbStats {
  sizeBytes: number;
  pageSize: number;
  pageCount: number;
  freelistCount: number;
  sqliteVersion: string;
  encoding: string;
  userVersion: number;
  tables: number;
  views: number;
  indexes: number;
  triggers: number;
}
