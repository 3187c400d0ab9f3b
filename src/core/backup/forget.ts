import { storageError } from '../errors';
import { lockRepository } from './lock';
import type { Repository } from './repository';

/**
 * Removes snapshots (ids or unique prefixes) under an exclusive lock, as restic forget does. The
 * data they alone used stays until a prune. All ids are resolved before anything is removed.
 */
export async function forget(repo: Repository, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const lock = await lockRepository(repo, true);
  try {
    const all = await repo.snapshots();
    const chosen = new Set<string>();
    for (const ref of ids) {
      const hits = all.filter((s) => s.id.startsWith(ref));
      if (hits.length === 0) throw storageError('NotFound', `no snapshot ${ref} in ${repo.backend.label}; nothing was removed. List them with the snapshots command.`);
      if (hits.length > 1) throw storageError('BadInput', `snapshot prefix ${ref} matches ${hits.length} snapshots; give more of the id. Nothing was removed.`);
      chosen.add(hits[0]!.id);
    }
    for (const id of chosen) await repo.backend.remove('snapshots', id);
    return [...chosen];
  } finally {
    await lock.release();
  }
}
