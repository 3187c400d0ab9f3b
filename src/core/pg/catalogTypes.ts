/** Plain data for the schema tree: what an adapter renders, nothing more. */

export interface DatabaseInfo { name: string; owner: string; canConnect: boolean; allowConnections: boolean; sizeBytes: number | null; comment: string | null }

export interface SchemaInfo { name: string; owner: string; usable: boolean; system: boolean; objects: number; comment: string | null }

export type RelationKind = 'table' | 'partitioned' | 'partition' | 'foreign' | 'view' | 'matview' | 'sequence';

export interface RelationInfo {
  schema: string;
  name: string;
  kind: RelationKind;
  owner: string;
  estimatedRows: number | null;
  totalBytes: number | null;
  hasPrimaryKey: boolean;
  rowSecurity: boolean;
  /** Partitions: the partitioned table and the bound (FOR VALUES ...). */
  parent?: string;
  partitionBound?: string;
  /** Partitioned tables: PARTITION BY ...; their partitions are listed under them. */
  partitionKey?: string;
  partitions?: RelationInfo[];
  /** Foreign tables: the foreign server. */
  foreignServer?: string;
  sequence?: { start: string; increment: string; last: string | null };
  comment: string | null;
}

export interface ExtensionInfo { name: string; version: string; schema: string; comment: string | null }

export interface ColumnInfo {
  table: string;
  position: number;
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
  identity: 'always' | 'by default' | null;
  generated: string | null;
  collation: string | null;
  comment: string | null;
}

export type FkAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

export interface ConstraintInfo {
  table: string;
  name: string;
  kind: 'primary key' | 'unique' | 'check' | 'foreign key' | 'exclusion';
  definition: string;
  columns: string[];
  deferrable: boolean;
  initiallyDeferred: boolean;
  validated: boolean;
  check?: string;
  references?: { schema: string; table: string; columns: string[]; onDelete: FkAction; onUpdate: FkAction; match: 'SIMPLE' | 'FULL' | 'PARTIAL' };
}

export interface IndexColumn {
  /** The column name or the expression, as pg_get_indexdef prints it. */
  definition: string;
  expression: boolean;
  /** False for INCLUDE columns. */
  key: boolean;
  opclass: string | null;
  opclassIsDefault: boolean;
  descending: boolean;
  nullsFirst: boolean;
  collation: string | null;
}

export interface IndexInfo {
  table: string;
  name: string;
  method: string;
  unique: boolean;
  primary: boolean;
  exclusion: boolean;
  /** False for an index a failed CREATE INDEX CONCURRENTLY left behind. */
  valid: boolean;
  constraint: string | null;
  predicate: string | null;
  columns: IndexColumn[];
  definition: string;
  sizeBytes: number;
  scans: number;
  partitioned: boolean;
}

export interface TriggerInfo {
  table: string;
  name: string;
  timing: 'BEFORE' | 'AFTER' | 'INSTEAD OF';
  events: string[];
  level: 'ROW' | 'STATEMENT';
  function: string;
  enabled: 'origin' | 'disabled' | 'replica' | 'always';
  definition: string;
}

export interface PolicyInfo {
  table: string;
  name: string;
  permissive: boolean;
  command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  roles: string[];
  using: string | null;
  withCheck: string | null;
}

export interface TableDetails {
  columns: ColumnInfo[];
  constraints: ConstraintInfo[];
  indexes: IndexInfo[];
  triggers: TriggerInfo[];
  policies: PolicyInfo[];
}
