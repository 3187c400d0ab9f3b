// The sql bundle's public surface (dist/sql.js), loaded on first use through src/vscode/lazy.ts.
export * from '../core/sql/cells';
export * from '../core/sql/header';
export * from '../core/sql/host';
export * from '../core/sql/ident';
export * from '../core/sql/limits';
export * from '../core/sql/plan';
export * from '../core/sql/saveConflict';
// The one atomic write, under the name the SQL view calls it by.
export { atomicWrite as writeFileAtomic } from '../core/local/atomicWrite';
export * from '../core/sql/script';
export type * from '../core/sql/edit';
export type * from '../core/sql/protocol';
export type * from '../core/sql/query';
export type * from '../core/sql/rows';
export type * from '../core/sql/schemaTypes';
// A database read as SQLite would read it (its -wal's committed frames applied): the backup's consistent copy.
export { readDiskImage, type DiskImage } from '../core/sql/diskImage';
