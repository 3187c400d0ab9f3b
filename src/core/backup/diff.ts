import { cancelled, storageError } from '../errors';
import { findNode } from './listing';
import type { TreeNode } from './model';
import { sameContent, sameNode } from './nodeEquality';
import { blobKey, type Repository, type SnapshotEntry } from './repository';

/**
 * One changed path, as `restic diff` prints it. `modifier` is restic's: `+` added, `-` removed,
 * `M` content changed (`M?` with equal metadata: likely bit rot), `T` type changed, `U` metadata
 * only (reported when `metadata` is set). Folders end in `/`.
 */
export interface DiffChange {
  path: string;
  modifier: string;
}

export interface DiffCounts {
  files: number;
  dirs: number;
  others: number;
  dataBlobs: number;
  treeBlobs: number;
  /** Plaintext bytes of those blobs. */
  bytes: number;
}

export interface DiffResult {
  source: SnapshotEntry;
  target: SnapshotEntry;
  changes: DiffChange[];
  changedFiles: number;
  added: DiffCounts;
  removed: DiffCounts;
}

export interface DiffOptions {
  /** Report metadata-only changes (`U`), as restic diff --metadata. */
  metadata?: boolean;
  signal?: AbortSignal;
}

const zero = (): DiffCounts => ({ files: 0, dirs: 0, others: 0, dataBlobs: 0, treeBlobs: 0, bytes: 0 });

function count(c: DiffCounts, n: TreeNode): void {
  if (n.type === 'file') c.files++;
  else if (n.type === 'dir') c.dirs++;
  else c.others++;
}

function addBlobs(set: Set<string>, n: TreeNode | undefined): void {
  if (!n) return;
  if (n.type === 'file') for (const id of n.content ?? []) set.add(blobKey('data', id));
  else if (n.type === 'dir' && n.subtree) set.add(blobKey('tree', n.subtree));
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function join(prefix: string, name: string): string {
  return prefix.endsWith('/') ? prefix + name : `${prefix}/${name}`;
}

/** restic's modifier for a path present in both snapshots ('' when nothing is reported). */
export function changeModifier(a: TreeNode, b: TreeNode, metadata = true): string {
  let mod = a.type !== b.type ? 'T' : '';
  if (a.type === 'file' && b.type === 'file' && !sameContent(a, b)) {
    mod += 'M';
    if (sameNode(a, b, false)) mod += '?';
  } else if (metadata && !sameNode(a, b)) mod += 'U';
  return mod;
}

/**
 * What changed from snapshot `a` to snapshot `b`, the way `restic diff` walks them: paths in
 * byte order, unchanged subtrees skipped, and the blobs each side has that the other lacks.
 */
export async function diffSnapshots(repo: Repository, a: string | SnapshotEntry, b: string | SnapshotEntry, o: DiffOptions = {}): Promise<DiffResult> {
  const source = typeof a === 'string' ? await repo.findSnapshot(a) : a;
  const target = typeof b === 'string' ? await repo.findSnapshot(b) : b;
  await repo.loadIndex();
  const r: DiffResult = { source, target, changes: [], changedFiles: 0, added: zero(), removed: zero() };
  const before = new Set<string>([blobKey('tree', source.tree)]);
  const after = new Set<string>([blobKey('tree', target.tree)]);
  const common = new Set<string>();
  const change = (path: string, modifier: string) => r.changes.push({ path, modifier });

  const listAll = async (mode: '+' | '-', counts: DiffCounts, blobs: Set<string>, prefix: string, tree: string): Promise<void> => {
    for (const n of (await repo.loadTree(tree)).nodes ?? []) {
      const p = join(prefix, n.name) + (n.type === 'dir' ? '/' : '');
      change(p, mode);
      count(counts, n);
      addBlobs(blobs, n);
      if (n.type === 'dir' && n.subtree) await listAll(mode, counts, blobs, p, n.subtree);
    }
  };
  const collect = async (tree: string): Promise<void> => {
    for (const n of (await repo.loadTree(tree)).nodes ?? []) {
      addBlobs(common, n);
      if (n.type === 'dir' && n.subtree) await collect(n.subtree);
    }
  };
  const walk = async (prefix: string, t1: string, t2: string): Promise<void> => {
    if (o.signal?.aborted) throw cancelled('The diff');
    const m1 = new Map(((await repo.loadTree(t1)).nodes ?? []).map((n) => [n.name, n]));
    const m2 = new Map(((await repo.loadTree(t2)).nodes ?? []).map((n) => [n.name, n]));
    const names = [...new Set([...m1.keys(), ...m2.keys()])].sort(byBytes);
    for (const name of names) {
      const n1 = m1.get(name);
      const n2 = m2.get(name);
      addBlobs(before, n1);
      addBlobs(after, n2);
      if (n1 && n2) {
        const p = join(prefix, name) + (n2.type === 'dir' ? '/' : '');
        const mod = changeModifier(n1, n2, !!o.metadata);
        if (mod.includes('M')) r.changedFiles++;
        if (mod !== '') change(p, mod);
        if (n1.type === 'dir' && n2.type === 'dir') {
          if (n1.subtree === n2.subtree) await collect(n1.subtree!);
          else await walk(p, n1.subtree!, n2.subtree!);
        } else if (n1.type === 'dir') await listAll('-', r.removed, before, p, n1.subtree!);
        else if (n2.type === 'dir') await listAll('+', r.added, after, p, n2.subtree!);
      } else if (n1) {
        const p = join(prefix, name) + (n1.type === 'dir' ? '/' : '');
        change(p, '-');
        count(r.removed, n1);
        if (n1.type === 'dir' && n1.subtree) await listAll('-', r.removed, before, p, n1.subtree);
      } else if (n2) {
        const p = join(prefix, name) + (n2.type === 'dir' ? '/' : '');
        change(p, '+');
        count(r.added, n2);
        if (n2.type === 'dir' && n2.subtree) await listAll('+', r.added, after, p, n2.subtree);
      }
    }
  };
  await walk('/', source.tree, target.tree);

  const index = await repo.loadIndex();
  const tally = (mine: Set<string>, other: Set<string>, c: DiffCounts) => {
    for (const k of mine) {
      if (other.has(k) || common.has(k)) continue;
      const e = index.get(k);
      if (k.startsWith('data:')) c.dataBlobs++;
      else c.treeBlobs++;
      if (e) c.bytes += e.uncompressedLength ?? e.length - 32;
    }
  };
  tally(before, after, r.removed);
  tally(after, before, r.added);
  return r;
}

export interface FileComparison {
  path: string;
  /** The entry in each snapshot, absent where the path is not in it. */
  a?: TreeNode;
  b?: TreeNode;
  /** As in a diff: '+', '-', 'M', 'T', 'U' (metadata), or '' when the same. */
  modifier: string;
}

/** One path compared between two snapshots (the diff of a single file or folder entry). */
export async function compareInSnapshots(repo: Repository, a: string | SnapshotEntry, b: string | SnapshotEntry, path: string): Promise<FileComparison> {
  const sa = typeof a === 'string' ? await repo.findSnapshot(a) : a;
  const sb = typeof b === 'string' ? await repo.findSnapshot(b) : b;
  const na = (await findNode(repo, sa.tree, path))?.node;
  const nb = (await findNode(repo, sb.tree, path))?.node;
  const out: FileComparison = { path, modifier: '' };
  if (na) out.a = na;
  if (nb) out.b = nb;
  if (na && nb) out.modifier = changeModifier(na, nb, true);
  else if (na) out.modifier = '-';
  else if (nb) out.modifier = '+';
  else throw storageError('NotFound', `${path} is in neither snapshot ${sa.id.slice(0, 8)} nor ${sb.id.slice(0, 8)}. List them with ls.`);
  return out;
}

/** A file's bytes from a snapshot (every blob verified), refusing files over `limit` bytes. */
export async function readSnapshotFile(repo: Repository, node: TreeNode, limit = 256 * 1024 * 1024): Promise<Uint8Array> {
  if (node.type !== 'file') throw storageError('BadInput', `${node.name} is a ${node.type}, not a file; only files have content to open.`);
  if ((node.size ?? 0) > limit) throw storageError('TooLarge', `${node.name} is ${node.size} bytes, more than the ${limit} that open in an editor; restore it instead.`);
  const parts: Uint8Array[] = [];
  for (const id of node.content ?? []) parts.push(await repo.loadBlob('data', id));
  const out = Buffer.concat(parts);
  if (out.length !== (node.size ?? 0)) throw storageError('Integrity', `${node.name}: its blobs hold ${out.length} bytes but the snapshot says ${node.size ?? 0}.`);
  return out;
}
