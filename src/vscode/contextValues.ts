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
} as const;
