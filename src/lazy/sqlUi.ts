// The SQL area's handlers and renderer (dist/sql-ui.js), loaded on first use through src/vscode/lazy.ts.
export { commands } from '../vscode/sql/commands';
export { renderNode } from '../vscode/sql/render';
