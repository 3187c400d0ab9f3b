import type { Repository, SnapshotEntry } from '../../core/backup/repository';

/**
 * What each snapshot added to the repository: the packed size of the blobs (data and trees) no
 * older snapshot uses, as restic's "Added to the repository". Snapshots go oldest first; a
 * subtree seen before holds only blobs seen before, so it is not walked again.
 */
export async function sizesAdded(repo: Repository, snapshots: SnapshotEntry[], each: (id: string, bytes: number) => void, signal?: AbortSignal): Promise<void> {
  const seen = new Set<string>();
  const index = await repo.loadIndex();
  const size = (type: 'data' | 'tree', id: string) => index.get(`${type}:${id}`)?.length ?? 0;
  for (const s of [...snapshots].sort((a, b) => Date.parse(a.time) - Date.parse(b.time))) {
    let added = 0;
    const visit = async (treeId: string): Promise<void> => {
      if (signal?.aborted || seen.has(`tree:${treeId}`)) return;
      seen.add(`tree:${treeId}`);
      added += size('tree', treeId);
      for (const n of (await repo.loadTree(treeId)).nodes ?? []) {
        if (n.type === 'dir' && n.subtree) await visit(n.subtree);
        for (const id of n.content ?? []) {
          if (seen.has(`data:${id}`)) continue;
          seen.add(`data:${id}`);
          added += size('data', id);
        }
      }
    };
    await visit(s.tree);
    if (signal?.aborted) return;
    each(s.id, added);
  }
}
