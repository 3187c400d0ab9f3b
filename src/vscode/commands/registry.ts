import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { commands as general } from '../general/commands';
import { commands as keys } from '../keys/commands';
import { commands as local } from '../local/commands';
import { showError } from '../log';
import { commands as s3 } from '../s3/commands';
import { commands as sql } from '../sql/commands';
import type { CommandSpec } from './spec';

export const COMMAND_PREFIX = 'storageInspector.';

export const allCommands: readonly CommandSpec[] = [...general, ...keys, ...local, ...s3, ...sql];

/** Registers every command from one table; failures become one clear message, never a crash. */
export function registerCommands(ctx: Ctx): void {
  for (const spec of allCommands) {
    ctx.subscribe(
      vscode.commands.registerCommand(COMMAND_PREFIX + spec.id, async (...args: unknown[]) => {
        try {
          return await spec.run(ctx, ...args);
        } catch (e) {
          showError(ctx, e);
          return undefined;
        }
      }),
    );
  }
}
