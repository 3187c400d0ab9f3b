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
} as const;
