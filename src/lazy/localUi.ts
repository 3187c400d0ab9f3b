// The Local area's handlers and renderer (dist/local-ui.js), loaded on first use through src/vscode/lazy.ts.
export { commands } from '../vscode/local/commands';
export { renderNode } from '../vscode/local/render';
export { listPage } from '../core/local/listing';
export { offerLocalConflict } from '../vscode/local/conflict';
