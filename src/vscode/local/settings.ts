import * as vscode from 'vscode';
import { rootsFrom, type LocalRoot } from '../../core/local/roots';
import { readSetting, writeSetting } from '../settings';

/** The roots from `local.roots`, read fresh each time. */
export function localRoots(): LocalRoot[] {
  return rootsFrom(readSetting('local.roots'));
}

/**
 * Every folder a storage-local URI may name: the roots, the workspace's folders (so a workspace
 * file opens decoded without adding a root), and `extra` (folders of files opened from elsewhere).
 */
export function knownRoots(extra: Iterable<LocalRoot> = []): LocalRoot[] {
  const workspace = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const out = rootsFrom([...localRoots().map((r) => r.path), ...workspace]);
  for (const r of extra) if (!out.some((o) => o.id === r.id)) out.push(r);
  return out;
}

export function findRoot(rootId: string, extra: Iterable<LocalRoot> = []): LocalRoot | undefined {
  return knownRoots(extra).find((r) => r.id === rootId);
}

/** Stores the root paths where they are defined now (a workspace's value would shadow a user change). */
export function saveRootPaths(paths: string[]): Promise<void> {
  return writeSetting('local.roots', paths);
}
