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
} as const;
