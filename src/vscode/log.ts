import * as vscode from 'vscode';
import { isCancelled, messageOf } from '../core/errors';
import type { Ctx } from './ctx';

/** The extension's one log channel; callers never pass secrets to it. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Storage Inspector', { log: true });
}

/** Shows a failure to the user and logs it; a cancel is silent. */
export function showError(ctx: Ctx, e: unknown): void {
  if (isCancelled(e)) return;
  const message = messageOf(e);
  ctx.log.error(message);
  void vscode.window.showErrorMessage(message);
}
