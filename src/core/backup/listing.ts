import { goModeString } from './fileMode';
import type { TreeNode } from './model';
import type { Repository, SnapshotEntry } from './repository';

/** One line of `restic snapshots --json`: the snapshot as stored, plus its id and short id. */
export function snapshotJson(s: SnapshotEntry): Record<string, unknown> {
  const { id, ...rest } = s;
  return { ...rest, id, short_id: id.slice(0, 8) };
}

/** One node line of `restic ls --json` (restic 0.14's fields, in its order). */
export function nodeJson(node: TreeNode, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = { name: node.name, type: node.type, path, uid: node.uid ?? 0, gid: node.gid ?? 0 };
  if (node.type === 'file') out.size = node.size ?? 0;
  out.mode = node.mode ?? 0;
  out.permissions = goModeString(node.mode ?? 0);
  out.mtime = node.mtime;
  out.atime = node.atime;
  out.ctime = node.ctime;
  out.struct_type = 'node';
  return out;
}

export interface WalkEntry {
  node: TreeNode;
  /** `/dir/name` from the snapshot's root, as restic ls prints it. */
  path: string;
}

/** Depth-first over a snapshot's trees in stored (name) order; loads one tree at a time per level. */
export async function* walk(repo: Repository, treeId: string, prefix = ''): AsyncGenerator<WalkEntry> {
  const tree = await repo.loadTree(treeId);
  for (const node of tree.nodes ?? []) {
    const path = `${prefix}/${node.name}`;
    yield { node, path };
    if (node.type === 'dir' && node.subtree) yield* walk(repo, node.subtree, path);
  }
}

/** The node at `path` (`/tree/dir/file`) in a snapshot, or undefined; '/' is the root itself. */
export async function findNode(repo: Repository, treeId: string, path: string): Promise<{ node?: TreeNode; treeId: string } | undefined> {
  const parts = path.split('/').filter((p) => p !== '');
  let current = treeId;
  let node: TreeNode | undefined;
  for (const part of parts) {
    const tree = await repo.loadTree(current);
    node = (tree.nodes ?? []).find((n) => n.name === part);
    if (!node) return undefined;
    if (node.type === 'dir' && node.subtree) current = node.subtree;
    else if (part !== parts[parts.length - 1]) return undefined;
  }
  return node ? { node, treeId: current } : { treeId: current };
}
