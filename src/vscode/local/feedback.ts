import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import type { Ctx } from '../ctx';
import { offer } from '../prompts';
import { openDecoded } from './open';

export interface FollowUps {
  /** A file the change wrote: "Open" opens it (decoded when it has layers). */
  open?: string;
  /** A file or folder to show: "Reveal" shows it in the Explorer (or the OS file manager). */
  reveal?: string;
  /** "Show Problems" opens the Problems panel (Verify Manifest's findings). */
  problems?: boolean;
}

/**
 * The short message every Local command that changes data ends with: what changed, and the
 * follow-ups that fit. It is also logged; the command does not wait for a click.
 */
export function tellChanged(ctx: Ctx, message: string, follow: FollowUps = {}, severity: 'info' | 'warning' = 'info'): void {
  ctx.log.info(message);
  const buttons = [...(follow.problems ? ['Show Problems'] : []), ...(follow.open ? ['Open'] : []), ...(follow.reveal ? ['Reveal'] : [])];
  void offer(severity, message, buttons).then(async (choice) => {
    try {
      if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
      if (choice === 'Open' && follow.open) await openDecoded(ctx, follow.open);
      if (choice === 'Reveal' && follow.reveal) await vscode.commands.executeCommand('storageInspector.local.revealInExplorer', follow.reveal);
    } catch (e) {
      ctx.log.error(messageOf(e));
      void vscode.window.showErrorMessage(messageOf(e));
    }
  });
}
