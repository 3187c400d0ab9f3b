/** Context values for tree items; menus in package.json match these with `viewItem`. */
export const ContextValue = {
  errorRow: 'error',
  loadMore: 'loadMore',
  // Local view. A file's value grows with what it holds: `localFile.age.gzip`, `localFile.manifest`.
  localRoot: 'localRoot',
  localFolder: 'localFolder',
  localFile: 'localFile',
} as const;
