import { chmod, lchown, lstat, lutimes, mkdir, rename, symlink, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cancelled, storageError } from '../errors';
import { atomicWrite } from '../local/atomicWrite';
import { mapFsError } from '../local/fsErrors';
import { posixPermissions } from './fileMode';
import { eachLimited } from './pool';
import { findNode } from './listing';
import type { TreeNode } from './model';
import type { Repository } from './repository';

export interface RestoreOptions {
  /** The snapshot path to restore (`/tree/dir/file`); '/' or absent restores the whole snapshot. */
  path?: string;
  /** The folder that receives it: a file or folder lands as target/<name>, a whole snapshot's roots as target/<root>. */
  target: string;
  /** Replace files that exist. Off (the default): nothing is written if any target exists. */
  overwrite?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: RestoreProgress) => void;
}

export interface RestoreProgress {
  files: number;
  bytes: number;
  totalFiles: number;
  totalBytes: number;
}

/** Files restored at once: enough to hide fsync and thread-pool latency, few enough to bound memory. */
const PARALLEL = 8;

interface Planned {
  node: TreeNode;
  dest: string;
}

/** A name from a (possibly hostile) tree must stay one path segment inside the target. */
function safeName(name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw storageError('Integrity', `the snapshot holds an entry named ${JSON.stringify(name)}, which cannot be restored safely; nothing was written for it.`);
  }
  return name;
}

/** Every node to restore, parents before children, with its destination. */
async function plan(repo: Repository, nodes: TreeNode[], dir: string, out: Planned[]): Promise<void> {
  for (const node of nodes) {
    const dest = join(dir, safeName(node.name));
    out.push({ node, dest });
    if (node.type === 'dir' && node.subtree) await plan(repo, (await repo.loadTree(node.subtree)).nodes ?? [], dest, out);
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}

/**
 * Restores a file, a folder or a whole snapshot. Each file is written through the core's atomic
 * write from blobs whose MAC and hash were checked, so a damaged blob leaves no partial file.
 * Modes, times (and owners, when run as root) follow the snapshot.
 */
export async function restore(repo: Repository, snapshotRef: string, o: RestoreOptions): Promise<RestoreProgress> {
  const snap = await repo.findSnapshot(snapshotRef);
  const at = await findNode(repo, snap.tree, o.path ?? '/');
  if (!at) throw storageError('NotFound', `${o.path} is not in snapshot ${snap.id.slice(0, 8)}. List it with ls.`);
  const roots = at.node ? [at.node] : (await repo.loadTree(at.treeId)).nodes ?? [];
  const items: Planned[] = [];
  await plan(repo, roots, o.target, items);

  if (!o.overwrite) {
    const taken: string[] = [];
    await eachLimited(items, PARALLEL, async (it) => {
      if (it.node.type !== 'dir' && (await exists(it.dest))) taken.push(it.dest);
    });
    if (taken.length > 0) {
      taken.sort();
      throw storageError('Exists', `${taken.length} file(s) to restore already exist (${taken.slice(0, 3).join(', ')}${taken.length > 3 ? ', ...' : ''}). Nothing was written; restore to another folder, or allow overwriting.`);
    }
  }

  const progress: RestoreProgress = { files: 0, bytes: 0, totalFiles: 0, totalBytes: 0 };
  for (const it of items) if (it.node.type === 'file') { progress.totalFiles++; progress.totalBytes += it.node.size ?? 0; }
  await mkdir(o.target, { recursive: true }).catch((e: unknown) => { throw mapFsError(e, o.target); });
  // Folders first (parents before children), then files and links several at a time, so the
  // fsync of one overlaps the reads and writes of the others.
  const dirs: Planned[] = [];
  for (const it of items) {
    if (it.node.type !== 'dir') continue;
    await mkdir(it.dest, { recursive: true }).catch((e: unknown) => { throw mapFsError(e, it.dest); });
    dirs.push(it);
  }
  await eachLimited(items, PARALLEL, async (it) => {
    if (o.signal?.aborted) throw cancelled('The restore');
    const { node, dest } = it;
    if (node.type === 'file') await restoreFile(repo, node, dest, o, progress);
    else if (node.type === 'symlink') await restoreSymlink(node, dest, !!o.overwrite);
    // devices, fifos and sockets are not recreated
  });
  // Folders last and deepest first: writing their children changed their times.
  for (const d of dirs.reverse()) await setMeta(d.node, d.dest, false);
  return progress;
}

async function restoreFile(repo: Repository, node: TreeNode, dest: string, o: RestoreOptions, progress: RestoreProgress): Promise<void> {
  // Never write through a symlink that sits where the file goes: it could point out of the target.
  const st = await lstat(dest).catch(() => undefined);
  if (st?.isSymbolicLink()) await unlink(dest);
  let written = 0;
  const signal = o.signal;
  const ids = node.content ?? [];
  const load = (i: number) => {
    if (i >= ids.length) return undefined;
    const p = repo.loadBlob('data', ids[i]!);
    p.catch(() => undefined); // awaited below; this only keeps an abandoned read from being reported as unhandled
    return p;
  };
  async function* blobs(): AsyncGenerator<Uint8Array> {
    // One blob is read ahead while the previous one is written.
    let next = load(0);
    for (let i = 0; i < ids.length; i++) {
      if (signal?.aborted) throw cancelled('The restore');
      const b = await next!;
      next = load(i + 1);
      written += b.length;
      progress.bytes += b.length;
      yield b;
    }
    if (written !== (node.size ?? 0)) throw storageError('Integrity', `${dest}: its blobs hold ${written} bytes but the snapshot says ${node.size ?? 0}; the file was not written.`);
  }
  await atomicWrite(dest, blobs(), { mode: posixPermissions(node.mode ?? 0o644) & 0o777, exclusive: !o.overwrite });
  await setMeta(node, dest, false);
  progress.files++;
  o.onProgress?.({ ...progress });
}

async function restoreSymlink(node: TreeNode, dest: string, overwrite: boolean): Promise<void> {
  const target = node.linktarget ?? '';
  try {
    if (overwrite && (await exists(dest))) {
      const temp = join(dest, '..', `.${randomBytes(6).toString('hex')}.si-link.tmp`);
      await symlink(target, temp);
      await rename(temp, dest);
    } else {
      await symlink(target, dest);
    }
  } catch (e) {
    throw mapFsError(e, dest);
  }
  await setMeta(node, dest, true);
}

/** Seconds since the epoch with the fraction restic stored (nanoseconds; a Date would keep only ms). */
export function toSeconds(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const m = /^(.*?:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(s);
  const whole = Date.parse(m ? m[1]! + m[3]! : s);
  if (Number.isNaN(whole)) return undefined;
  return whole / 1000 + (m?.[2] ? Number(`0${m[2]}`) : 0);
}

async function setMeta(node: TreeNode, dest: string, isLink: boolean): Promise<void> {
  try {
    if (process.getuid?.() === 0 && node.uid !== undefined && node.gid !== undefined) await lchown(dest, node.uid, node.gid).catch(() => undefined);
    if (!isLink) await chmod(dest, posixPermissions(node.mode ?? 0o644));
    const mtime = toSeconds(node.mtime);
    const atime = toSeconds(node.atime) ?? mtime;
    if (mtime !== undefined && atime !== undefined) await (isLink ? lutimes(dest, atime, mtime) : utimes(dest, atime, mtime));
  } catch (e) {
    throw mapFsError(e, dest);
  }
}
