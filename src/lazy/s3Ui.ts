// The S3 area's handlers and renderer (dist/s3-ui.js), loaded on first use through src/vscode/lazy.ts.
export { commands } from '../vscode/s3/commands';
export { objectTooltip, renderNode } from '../vscode/s3/render';
