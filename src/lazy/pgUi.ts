// The PostgreSQL area's handlers and renderer (dist/pg-ui.js), loaded on first use through src/vscode/lazy.ts.
export { commands } from '../vscode/pg/commands';
export { renderNode, type RenderLookup } from '../vscode/pg/render';
