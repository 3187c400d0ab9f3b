/** Context values for tree items; menus in package.json match these with `viewItem`. */
export const ContextValue = {
  errorRow: 'error',
  loadMore: 'loadMore',
  // SQL view
  sqlDb: 'sqlDb',
  sqlDbDirty: 'sqlDb.dirty',
  sqlDbFile: 'sqlDbFile',
  sqlGroup: 'sqlGroup',
  sqlTable: 'sqlTable',
  sqlVirtualTable: 'sqlTable.virtual',
  sqlView: 'sqlView',
  sqlColumn: 'sqlColumn',
  sqlIndex: 'sqlIndex',
  sqlAutoIndex: 'sqlIndex.auto',
  sqlForeignKey: 'sqlForeignKey',
  sqlTrigger: 'sqlTrigger',
  // PostgreSQL, in the SQL view. A connection ends with `.readOnly` when it is read-only; a table's
  // value grows with its kind and the connection's mode: `pgTable.partitioned`, `pgTable.readOnly`.
  pgConnection: 'pgConnection',
  pgDatabase: 'pgDatabase',
  pgSchema: 'pgSchema',
  pgGroup: 'pgGroup',
  pgTable: 'pgTable',
  pgView: 'pgView',
  pgMatview: 'pgMatview',
  pgSequence: 'pgSequence',
  pgColumn: 'pgColumn',
  pgConstraint: 'pgConstraint',
  pgIndex: 'pgIndex',
  pgTrigger: 'pgTrigger',
  pgPolicy: 'pgPolicy',
  pgExtension: 'pgExtension',
  // Local view. A file's value grows with what it holds: `localFile.age.gzip`, `localFile.manifest`.
  localRoot: 'localRoot',
  localFolder: 'localFolder',
  localFile: 'localFile',
  // S3 view. Objects and versions carry suffixes menus match on: `s3Object.versioned`,
  // `s3Version.latest`, `s3Version.marker`, `s3Bucket.Enabled`.
  s3Connection: 's3Connection',
  s3Bucket: 's3Bucket',
  s3Prefix: 's3Prefix',
  s3Object: 's3Object',
  s3Version: 's3Version',
  // Backups view
  backupRepo: 'backupRepo',
  backupSnapshot: 'backupSnapshot',
  backupFolder: 'backupFolder',
  backupFile: 'backupFile',
  backupSymlink: 'backupSymlink',
} as const;

/** What a value grows with; menus match these with `=~`. Joined by withSuffixes(). */
export const ContextSuffix = {
  versioned: 'versioned',
  deleted: 'deleted',
  latest: 'latest',
  marker: 'marker',
  manifest: 'manifest',
  age: 'age',
  gzip: 'gzip',
  readOnly: 'readOnly',
  partitioned: 'partitioned',
  partition: 'partition',
  foreign: 'foreign',
  invalid: 'invalid',
  /** Last on a file, object or version whose name reads as SQLite (layers peeled): "Open as Database" fits. */
  sqlite: 'sqlite',
} as const;

/** A bucket's value ends with its versioning status: `s3Bucket.Enabled`. */
export const BUCKET_VERSIONING = ['Enabled', 'Suspended', 'Never', 'Unknown'] as const;

/** `s3Object` + ['versioned', false, 'deleted'] -> `s3Object.versioned.deleted`. */
export function withSuffixes(base: string, ...suffixes: (string | false | undefined)[]): string {
  return [base, ...suffixes.filter((s): s is string => typeof s === 'string' && s !== '')].join('.');
}

/** Every value a tree item can carry (the manifest test matches the menus' `viewItem` clauses against them). */
export function allContextValues(): string[] {
  const S = ContextSuffix;
  const both = (base: string, a: string, b: string) => [base, withSuffixes(base, a), withSuffixes(base, b), withSuffixes(base, a, b)];
  const layers = [[S.age], [S.gzip], [S.age, S.gzip], [S.gzip, S.age], [S.gzip, S.gzip]];
  const files = [
    ContextValue.localFile,
    ...layers.map((l) => withSuffixes(ContextValue.localFile, ...l)),
    ...both(ContextValue.s3Object, S.versioned, S.deleted),
    ...both(ContextValue.s3Version, S.latest, S.marker),
  ];
  return [
    ...Object.values(ContextValue),
    ...files,
    ...files.map((v) => withSuffixes(v, S.sqlite)),
    withSuffixes(ContextValue.localFile, S.manifest),
    ...BUCKET_VERSIONING.map((v) => withSuffixes(ContextValue.s3Bucket, v)),
    withSuffixes(ContextValue.pgConnection, S.readOnly),
    ...[S.partitioned, S.partition, S.foreign].flatMap((k) => [withSuffixes(ContextValue.pgTable, k), withSuffixes(ContextValue.pgTable, k, S.readOnly)]),
    ...[ContextValue.pgTable, ContextValue.pgView, ContextValue.pgMatview].map((v) => withSuffixes(v, S.readOnly)),
    ...both(ContextValue.pgIndex, S.invalid, S.readOnly),
  ];
}
