// The PostgreSQL core's public surface: an adapter renders what these return and calls nothing else.
export { resolveConnection, describeConnection, type PgConnectionInput, type ResolvedConn } from './config';
export { parsePgUri, redactUri } from './uri';
export type { ConnParams, SslMode } from './params';
export { PgSession, type SessionOptions, type PoolCounters } from './session';
export { PgError, type PgDiagnostics } from './pgError';
export { listDatabases, listSchemas, listRelations, listExtensions } from './catalog';
export { tableDetails } from './tableDetails';
export type * from './catalogTypes';
export { tableStats, indexStats, databaseStats, type Maybe, type TableStats, type IndexStats, type DatabaseStats } from './stats';
export { TableGrid } from './tableGrid';
export type * from './gridTypes';
export { applyChanges, editStatements, previewSql, type RowChange } from './edits';
export { QueryRun, type QueryBatch, type QueryColumn } from './queryRun';
export { explain, parsePlan, changesData, type Plan, type PlanNode } from './plan';
export { createIndex, createIndexSql, dropIndex, INDEX_METHODS, type IndexSpec, type IndexKey, type IndexProgress, type IndexBuild } from './indexBuild';
export { splitStatements, statementAt, type ScriptStatement } from './statements';
