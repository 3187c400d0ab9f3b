import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import type { Ctx } from '../ctx';
import { commands as general } from '../general/commands';
import { ui } from '../lazy';
import { showError } from '../log';
import type { CommandSpec } from './spec';

export const COMMAND_PREFIX = 'storageInspector.';

/** The areas whose handlers load on first use: `storageInspector.<area>.<verb>` runs in ui[area]. */
export const LAZY_AREAS = ['backup', 'keys', 'local', 'pg', 's3', 'sql'] as const;
type Area = (typeof LAZY_AREAS)[number];

/**
 * Commands no menu or palette shows, so package.json does not declare them: test and bench
 * hooks. Declared commands come from package.json itself, so an id is written in one place.
 */
export const UNDECLARED_COMMANDS = [
  'local.internal.rows', 'local.internal.decoration',
  's3.internal.rows', 's3.internal.redrawn', 's3.internal.selection',
  'sql.internal.rows', 'sql.internal.gridPage', 'sql.internal.dirty', 'sql.internal.redrawn', 'sql.internal.results',
  'pg.internal.addConnection', 'pg.internal.rows', 'pg.internal.session', 'pg.internal.cancelIndexBuild', 'pg.internal.grid', 'pg.internal.started',
  'backup.internal.addRepository', 'backup.internal.rows', 'backup.internal.problems', 'backup.internal.sizesSettled',
];

/** Every area command id (without the prefix) that activation registers. */
export function areaCommandIds(ctx: Ctx): string[] {
  const declared = ((ctx.context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [])
    .map((c) => c.command.slice(COMMAND_PREFIX.length));
  return [...declared.filter((id) => areaOf(id) !== undefined), ...UNDECLARED_COMMANDS];
}

function areaOf(id: string): Area | undefined {
  const first = id.slice(0, id.indexOf('.'));
  return (LAZY_AREAS as readonly string[]).includes(first) ? (first as Area) : undefined;
}

/** The handler of an area command, from its area's bundle (loaded now if it was not yet). */
export function handlerOf(id: string): CommandSpec {
  const area = areaOf(id);
  const spec = area ? ui[area]().commands.find((c) => c.id === id) : undefined;
  if (!spec) throw storageError('Unavailable', `The command ${COMMAND_PREFIX}${id} has no handler in this build. Reinstall the extension.`);
  return spec;
}

/**
 * Registers every command from one table: the extension-wide ones directly, the areas' ids with
 * a handler that loads on first use. Failures become one clear message, never a crash.
 */
export function registerCommands(ctx: Ctx): void {
  const run = (id: string, spec: () => CommandSpec) =>
    vscode.commands.registerCommand(COMMAND_PREFIX + id, async (...args: unknown[]) => {
      try {
        return await spec().run(ctx, ...args);
      } catch (e) {
        showError(ctx, e);
        return undefined;
      }
    });
  for (const spec of general) ctx.subscribe(run(spec.id, () => spec));
  for (const id of areaCommandIds(ctx)) ctx.subscribe(run(id, () => handlerOf(id)));
}
