import type {
  ColumnInfo, ConstraintInfo, DatabaseInfo, ExtensionInfo, IndexColumn, IndexInfo, PolicyInfo, RelationInfo, SchemaInfo, TableStats, TriggerInfo,
} from '../../lazy/pg';

/** Where a node lives: a saved connection and one of its databases. */
export interface PgAt { connectionId: string; database: string }

export type PgGroup = 'tables' | 'views' | 'matviews' | 'sequences';
export type PgTableGroup = 'columns' | 'constraints' | 'indexes' | 'triggers' | 'policies' | 'partitions';

/**
 * Plain-data nodes of the PostgreSQL part of the SQL view (every kind starts with 'pg'). A node
 * carries the catalog facts it shows, as the core returned them, so rendering needs no lookup.
 */
export type PgNode =
  | { kind: 'pgConnection'; connectionId: string }
  | ({ kind: 'pgDatabase'; info: DatabaseInfo } & PgAt)
  | ({ kind: 'pgSchema'; info: SchemaInfo } & PgAt)
  | ({ kind: 'pgExtensions'; count: number } & PgAt)
  | ({ kind: 'pgExtension'; info: ExtensionInfo } & PgAt)
  | ({ kind: 'pgGroup'; schema: string; group: PgGroup; count: number } & PgAt)
  | ({ kind: 'pgRelation'; info: RelationInfo; stats?: TableStats } & PgAt)
  | ({ kind: 'pgTableGroup'; schema: string; table: string; group: PgTableGroup; count: number } & PgAt)
  | ({ kind: 'pgColumn'; schema: string; info: ColumnInfo } & PgAt)
  | ({ kind: 'pgConstraint'; schema: string; info: ConstraintInfo } & PgAt)
  | ({ kind: 'pgIndex'; schema: string; info: IndexInfo } & PgAt)
  | ({ kind: 'pgIndexColumn'; schema: string; index: string; info: IndexColumn } & PgAt)
  | ({ kind: 'pgTrigger'; schema: string; info: TriggerInfo } & PgAt)
  | ({ kind: 'pgPolicy'; schema: string; info: PolicyInfo } & PgAt)
  | { kind: 'pgError'; message: string; connectionId?: string };

export type PgNodeKind = PgNode['kind'];

/** True for the nodes this area renders and lists (the SQL tree routes them here). */
export function isPgNode(n: unknown): n is PgNode {
  return typeof n === 'object' && n !== null && typeof (n as { kind?: unknown }).kind === 'string' && (n as { kind: string }).kind.startsWith('pg');
}

/** The stable key of a node: children are cached under it and a refresh drops everything below it. */
export function nodeKey(n: PgNode): string {
  const at = 'database' in n ? `${n.connectionId}/${n.database}` : n.kind === 'pgError' ? `err:${n.message}` : n.connectionId;
  switch (n.kind) {
    case 'pgConnection': return n.connectionId;
    case 'pgDatabase': return at;
    case 'pgSchema': return `${at}/${n.info.name}`;
    case 'pgExtensions': return `${at}/~extensions`;
    case 'pgExtension': return `${at}/~extensions/${n.info.name}`;
    case 'pgGroup': return `${at}/${n.schema}/~${n.group}`;
    case 'pgRelation': return `${at}/${n.info.schema}/${n.info.parent ? `${n.info.parent}/~partitions/` : ''}${n.info.name}`;
    case 'pgTableGroup': return `${at}/${n.schema}/${n.table}/~${n.group}`;
    case 'pgColumn': return `${at}/${n.schema}/${n.info.table}/~columns/${n.info.name}`;
    case 'pgConstraint': return `${at}/${n.schema}/${n.info.table}/~constraints/${n.info.name}`;
    case 'pgIndex': return `${at}/${n.schema}/${n.info.table}/~indexes/${n.info.name}`;
    case 'pgIndexColumn': return `${at}/${n.schema}/~index/${n.index}/${n.info.definition}`;
    case 'pgTrigger': return `${at}/${n.schema}/${n.info.table}/~triggers/${n.info.name}`;
    case 'pgPolicy': return `${at}/${n.schema}/${n.info.table}/~policies/${n.info.name}`;
    case 'pgError': return at;
  }
}
