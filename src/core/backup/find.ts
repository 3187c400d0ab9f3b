import { cancelled } from '../errors';
import { goModeString } from './fileMode';
import { walk } from './listing';
import type { TreeNode } from './model';
import { matchesPath, parsePattern } from './pathPattern';
import type { Repository, SnapshotEntry } from './repository';

export interface FindOptions {
  /** Case-insensitive, as restic find -i. */
  ignoreCase?: boolean;
  /** Search only these snapshots (ids, prefixes or `latest`); default: all. */
  snapshots?: string[];
  signal?: AbortSignal;
  /** Called per snapshot as soon as it is searched, so a long search shows results early. */
  onSnapshot?: (hit: FindHit) => void;
}

export interface FindMatch {
  path: string;
  node: TreeNode;
}

export interface FindHit {
  snapshot: SnapshotEntry;
  matches: FindMatch[];
}

/**
 * Every entry whose path matches one of `patterns` (restic's patterns: see pathPattern.ts), per
 * snapshot, oldest first; snapshots without a match are left out, as restic find does.
 */
export async function findInSnapshots(repo: Repository, patterns: string | string[], o: FindOptions = {}): Promise<FindHit[]> {
  const pats = (Array.isArray(patterns) ? patterns : [patterns]).map((p) => parsePattern(p, o.ignoreCase));
  const snaps = o.snapshots?.length ? await Promise.all(o.snapshots.map((s) => repo.findSnapshot(s))) : await repo.snapshots();
  const out: FindHit[] = [];
  for (const snapshot of snaps) {
    const matches: FindMatch[] = [];
    for await (const e of walk(repo, snapshot.tree)) {
      if (o.signal?.aborted) throw cancelled('The search');
      if (pats.some((p) => matchesPath(p, e.path))) matches.push({ path: e.path, node: e.node });
    }
    if (matches.length === 0) continue;
    const hit = { snapshot, matches };
    o.onSnapshot?.(hit);
    out.push(hit);
  }
  return out;
}

/** One match as restic find --json prints it (its fields and order; name, inode and content left out). */
export function findMatchJson(m: FindMatch): Record<string, unknown> {
  const n = m.node;
  const o: Record<string, unknown> = { path: m.path, permissions: goModeString(n.mode ?? 0), type: n.type };
  if (n.mode) o.mode = n.mode;
  o.mtime = n.mtime;
  o.atime = n.atime;
  o.ctime = n.ctime;
  o.uid = n.uid ?? 0;
  o.gid = n.gid ?? 0;
  if (n.user) o.user = n.user;
  if (n.group) o.group = n.group;
  if (n.device_id) o.device_id = n.device_id;
  if (n.size) o.size = n.size;
  if (n.links) o.links = n.links;
  if (n.linktarget) o.linktarget = n.linktarget;
  return o;
}
