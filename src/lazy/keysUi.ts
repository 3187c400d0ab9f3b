// The key commands (dist/keys-ui.js), loaded on first use through src/vscode/lazy.ts.
export { commands } from '../vscode/keys/commands';
