import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { showError } from '../errors';
import { commands as general } from './general';
import { commands as keys } from './keys';
import { commands as local } from './local';
import { commands as s3 } from './s3';
import { commands as sql } from './sql';

export const COMMAND_PREFIX = 'storageInspector.';

/** One command: `id` without the prefix, e.g. 'local.addRoot'. */
export interface CommandSpec {
  id: string;
  // Commands receive tree nodes, URIs or test arguments; each checks what it gets.
  run: (ctx: Ctx, ...args: any[]) => unknown;
}

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
