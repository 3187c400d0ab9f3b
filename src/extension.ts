import type * as vscode from 'vscode';
import { Ctx } from './vscode/ctx';
import { register as registerBackup } from './vscode/backup/register';
import { registerCommands } from './vscode/commands/registry';
import { register as registerKeys } from './vscode/keys/register';
import { register as registerLocal } from './vscode/local/register';
import { register as registerPg } from './vscode/pg/register';
import { register as registerS3 } from './vscode/s3/register';
import { register as registerSql } from './vscode/sql/register';

/** Builds the services and registers the contributions; heavy modules load on first use. */
export function activate(context: vscode.ExtensionContext): Ctx {
  const started = performance.now();
  const ctx = new Ctx(context);
  registerCommands(ctx);
  registerKeys(ctx);
  registerLocal(ctx);
  registerS3(ctx);
  registerSql(ctx);
  registerPg(ctx);
  registerBackup(ctx);
  // [start, end] of the main bundle's evaluation, stamped by the build's banner and footer.
  const [loadStart, loadEnd] = (globalThis as { __storageInspectorLoad?: number[] }).__storageInspectorLoad ?? [];
  ctx.loadMs = loadStart !== undefined && loadEnd !== undefined ? loadEnd - loadStart : 0;
  ctx.activationMs = performance.now() - started;
  ctx.log.info(`loaded in ${ctx.loadMs.toFixed(1)} ms, activated in ${ctx.activationMs.toFixed(1)} ms`);
  return ctx;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
