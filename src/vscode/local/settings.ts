import * as vscode from 'vscode';
import { rootsFrom, type LocalRoot } from '../../core/local/roots';
import type { Ctx } from '../ctx';

/** The Local view's settings, read fresh each time (a configuration object is a snapshot). */
export function localSettings(ctx: Ctx) {
  const s = { get: <T>(key: string) => ctx.settings.get<T>(key) };
  return {
    roots: (): LocalRoot[] => rootsFrom(s.get<unknown[]>('local.roots') ?? []),
    pageSize: (): number => s.get<number>('local.pageSize') ?? 500,
    confirmAbove: (): number => s.get<number>('local.confirmOpenAboveBytes') ?? 4_000_000,
    maxOpen: (): number => s.get<number>('local.maxOpenBytes') ?? 50_000_000,
    hashConcurrency: (): number => s.get<number>('local.hashConcurrency') ?? 8,
  };
}

/**
 * Stores the root paths where they are defined now: the workspace's settings when it sets
 * them (otherwise they would shadow the change), else the user's.
 */
export async function saveRootPaths(ctx: Ctx, paths: string[]): Promise<void> {
  const where = ctx.settings.inspect<string[]>('local.roots');
  const target =
    where?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
    : where?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  await ctx.settings.update('local.roots', paths, target);
}

export function findRoot(ctx: Ctx, rootId: string): LocalRoot | undefined {
  return localSettings(ctx).roots().find((r) => r.id === rootId);
}
