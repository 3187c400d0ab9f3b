// The Backups area's handlers and renderer (dist/backup-ui.js), loaded on first use through src/vscode/lazy.ts.
export { commands } from '../vscode/backup/commands';
export { renderNode } from '../vscode/backup/render';
