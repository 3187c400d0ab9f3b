import { rootsFrom, type LocalRoot } from '../../core/local/roots';
import { readSetting, writeSetting } from '../settings';

/** The roots from `local.roots`, read fresh each time. */
export function localRoots(): LocalRoot[] {
  return rootsFrom(readSetting('local.roots'));
}

export function findRoot(rootId: string): LocalRoot | undefined {
  return localRoots().find((r) => r.id === rootId);
}

/** Stores the root paths where they are defined now (a workspace's value would shadow a user change). */
export function saveRootPaths(paths: string[]): Promise<void> {
  return writeSetting('local.roots', paths);
}
