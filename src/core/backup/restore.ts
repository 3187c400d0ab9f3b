import { chmod, lchown, lstat, lutimes, mkdir, symlink, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cancelled, storageError } from '../errors';
import { AtomicBatch, renameIfStillAsSeen, type StagedFile } from '../local/atomicWrite';
import { seenTarget, type SeenTarget } from '../local/identity';
import { mapFsError } from '../local/fsErrors';
import { OVERHEAD } from './crypto';
import { posixPermissions } from './fileMode';
import { eachLimited, Slots } from '../pool';
import { findNode } from './listing';
import type { TreeNode } from './model';
import { blobShape, readWork, type BlobOpener, type BlobsOpener } from './readPool';
import { blobKey, type IndexedBlob, type Repository } from './repository';

export interface RestoreOptions {
  /** The snapshot path to restore (`/tree/dir/file`); '/' or absent restores the whole snapshot. */
  path?: string;
  /** The folder that receives it: a file or folder lands as target/<name>, a whole snapshot's roots as target/<root>. */
  target: string;
  /**
   * Replace files that exist. Off (the default): nothing is written if any target exists.
   * true: replace each as the restore found it when it began; a map: as the caller saw them (when
   * it asked), and a target not in the map must not exist. A target that changed since is kept,
   * and the restore fails with Conflict (Exists for a file that appeared).
   */
  overwrite?: boolean | ReadonlyMap<string, SeenTarget>;
  signal?: AbortSignal;
  onProgress?: (p: RestoreProgress) => void;
}

export interface RestoreProgress {
  files: number;
  bytes: number;
  totalFiles: number;
  totalBytes: number;
}

/**
 * Small files are restored in waves of up to this many bytes and files: the blobs a wave needs
 * are read with one read per run of nearby blobs in a pack (not one per blob), opened, and
 * written into their files' temps; each file is committed as soon as its last blob lands.
 * 4 MiB: measured on the 1 GiB bench tree, 8 MiB waves took the restore's peak RSS to 252-258 MB
 * (over the 256 MB target) for no gain in time; 4 MiB ones gave 221-229 MB.
 */
const WAVE_BYTES = 4 << 20;
const WAVE_FILES = 128;
/** Waves in flight: one's reads and CPU work overlap the other's writes and fsyncs. */
const WAVES_AT_ONCE = 2;
/** Files above this stream blob by blob (a few blobs in memory, not the whole file). */
const LARGE = 8 << 20;
/** Blobs ahead of the one being written, for a large file. */
const LARGE_AHEAD = 3;
/** Blobs of one pack closer than this are read in one read (the gap is read and dropped). */
const GAP = 128 << 10;
/** ... up to this many bytes in one read. */
const RANGE_MAX = 16 << 20;

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

/** Folders' trees read at once while a restore plans: each read is a small file read, a decrypt and a parse. */
const TREES_AT_ONCE = 8;

/**
 * Every node to restore, parents before children, with its destination. The subtrees of a
 * listing are read ahead (TREES_AT_ONCE at a time, shared by the whole plan) while it is planned
 * in order, so a failure is the one met first in that order. Measured on the bench tree (about
 * 400 folders): 0.20-0.24 s, against 0.43-0.47 s read one after another.
 */
async function plan(repo: Repository, nodes: TreeNode[], dir: string, out: Planned[], slots = new Slots(TREES_AT_ONCE)): Promise<void> {
  const subtrees = nodes.map((n) => (n.type === 'dir' && n.subtree ? slots.use(() => repo.loadTree(n.subtree!)) : undefined));
  // each is awaited below, in order; one left behind by an earlier failure is not reported as unhandled
  for (const t of subtrees) t?.catch(() => undefined);
  for (const [i, node] of nodes.entries()) {
    const dest = join(dir, safeName(node.name));
    out.push({ node, dest });
    const sub = subtrees[i];
    if (sub) await plan(repo, (await sub).nodes ?? [], dest, out, slots);
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}

/**
 * What each file's and link's target is now ('absent' or its lstat identity); below a folder
 * that does not exist, nothing is looked up.
 */
async function targetStates(target: string, items: Planned[]): Promise<Map<string, SeenTarget>> {
  const states = new Map<string, SeenTarget>();
  const targetExists = await exists(target);
  const missing = new Set<string>();
  const parentOf = (p: string) => p.slice(0, p.lastIndexOf('/'));
  // folders first, in order (parents before children), so a missing parent rules out its subtree
  for (const it of items) {
    if (it.node.type !== 'dir') continue;
    const parent = parentOf(it.dest);
    if (!targetExists || missing.has(parent) || !(await exists(it.dest))) missing.add(it.dest);
  }
  const leaves = items.filter((it) => it.node.type !== 'dir');
  for (const it of leaves) states.set(it.dest, 'absent');
  if (!targetExists) return states;
  await eachLimited(leaves, 32, async (it) => {
    if (missing.has(parentOf(it.dest))) return;
    states.set(it.dest, await seenTarget(it.dest).catch((e: unknown) => { throw mapFsError(e, it.dest); }));
  });
  return states;
}

export interface RestoreTuning {
  /** Worker threads that open blobs (default: one; 0: all on this thread). */
  threads?: number;
}

/**
 * Restores a file, a folder or a whole snapshot. Each file is written through the core's atomic
 * write (AtomicBatch, grouped: temps written, a group of them made durable with one sync of the
 * file system, then renamed into place; the folders synced at the end) from blobs whose MAC and
 * hash were checked, so a damaged blob leaves no partial file.
 * Modes, times (and owners, when run as root) follow the snapshot.
 */
export async function restore(repo: Repository, snapshotRef: string, o: RestoreOptions, tuning: RestoreTuning = {}): Promise<RestoreProgress> {
  const snap = await repo.findSnapshot(snapshotRef);
  const at = await findNode(repo, snap.tree, o.path ?? '/');
  if (!at) throw storageError('NotFound', `${o.path} is not in snapshot ${snap.id.slice(0, 8)}. List it with ls.`);
  const roots = at.node ? [at.node] : (await repo.loadTree(at.treeId)).nodes ?? [];
  const items: Planned[] = [];
  await plan(repo, roots, o.target, items);

  // the plan's view of every target: the overwrite replaces only what is still so at its rename
  const states = await targetStates(o.target, items);
  if (o.overwrite instanceof Map) for (const path of states.keys()) states.set(path, o.overwrite.get(path) ?? 'absent');
  if (!o.overwrite) {
    const taken = [...states].filter(([, st]) => st !== 'absent').map(([path]) => path).sort();
    if (taken.length > 0) {
      throw storageError('Exists', `${taken.length} file(s) to restore already exist (${taken.slice(0, 3).join(', ')}${taken.length > 3 ? ', ...' : ''}). Nothing was written; restore to another folder, or allow overwriting.`);
    }
  }

  const progress: RestoreProgress = { files: 0, bytes: 0, totalFiles: 0, totalBytes: 0 };
  for (const it of items) if (it.node.type === 'file') { progress.totalFiles++; progress.totalBytes += it.node.size ?? 0; }
  // The blob threads start now, while the folders are made: a thread takes a few hundred ms to be
  // ready. Measured on the bench tree with the plan's reads ahead, the threads started 0.78-0.80 s
  // after the command did, against 1.15-1.17 s before.
  const index = await repo.loadIndex(); // (loaded already, when the plan read any tree)
  const work = readWork(repo.key, progress.totalBytes, tuning.threads);
  // Folders first (parents before children), then files (in waves) and links.
  const dirs: Planned[] = [];
  try {
    await mkdir(o.target, { recursive: true }).catch((e: unknown) => { throw mapFsError(e, o.target); });
    for (const it of items) {
      if (it.node.type !== 'dir') continue;
      await mkdir(it.dest, { recursive: true }).catch((e: unknown) => { throw mapFsError(e, it.dest); });
      dirs.push(it);
    }
  } catch (e) {
    await work.close();
    throw e;
  }
  const ctx: Ctx = {
    repo,
    index,
    o,
    progress,
    batch: new AtomicBatch({ exclusive: !o.overwrite, grouped: true }),
    openBlob: work.open,
    openAll: work.openAll,
    done: work.done,
    states,
    placing: [],
    placeFailed: undefined,
  };
  try {
    const units: Planned[][] = [];
    let wave: Planned[] = [];
    let waveBytes = 0;
    for (const it of items) {
      if (it.node.type !== 'file') continue;
      const size = it.node.size ?? 0;
      if (size > LARGE) {
        units.push([it]);
        continue;
      }
      if (wave.length >= WAVE_FILES || (waveBytes + size > WAVE_BYTES && wave.length > 0)) {
        units.push(wave);
        wave = [];
        waveBytes = 0;
      }
      wave.push(it);
      waveBytes += size;
    }
    if (wave.length > 0) units.push(wave);
    await eachLimited(units, WAVES_AT_ONCE, async (u) => {
      if (u.length === 1 && (u[0]!.node.size ?? 0) > LARGE) await restoreLarge(ctx, u[0]!);
      else await restoreWave(ctx, u);
    });
    await eachLimited(items.filter((it) => it.node.type === 'symlink'), 16, (it) => restoreSymlink(it.node, it.dest, states.get(it.dest) ?? 'absent'));
    // devices, fifos and sockets are not recreated
    await ctx.batch.finish();
    await settle(ctx.placing);
  } catch (e) {
    await ctx.batch.abort();
    throw e;
  } finally {
    await work.close();
  }
  // Folders last and deepest first: writing their children changed their times.
  for (const d of dirs.reverse()) await setMeta(d.node, d.dest, false);
  return progress;
}

interface Ctx {
  repo: Repository;
  index: Map<string, IndexedBlob>;
  o: RestoreOptions;
  progress: RestoreProgress;
  batch: AtomicBatch;
  openBlob: BlobOpener;
  openAll: BlobsOpener;
  /** Plaintexts written out everywhere they go (see ReadWork.done). */
  done: (plains: readonly Uint8Array[]) => void;
  /** Each target as the plan saw it: replaced only if still so. */
  states: Map<string, SeenTarget>;
  /**
   * The commits of files whose bytes are all written: the batch makes them durable and puts them
   * in place a group at a time, so nothing waits for one (see AtomicBatchOptions.grouped).
   */
  placing: Promise<void>[];
  /** The first commit that failed: no wave starts after it. */
  placeFailed: unknown;
}

/** One file of a wave: where each of its blobs goes, and how many are still to come. */
interface WaveFile {
  it: Planned;
  left: number;
  file: Promise<StagedFile> | undefined;
}

function plainLength(b: IndexedBlob): number {
  return b.uncompressedLength ?? b.length - OVERHEAD;
}

/** The file's blobs from the index, with the position of each in the file; the sizes must add up. */
function layout(ctx: Ctx, it: Planned): { blob: IndexedBlob; pos: number }[] {
  const out: { blob: IndexedBlob; pos: number }[] = [];
  let pos = 0;
  for (const id of it.node.content ?? []) {
    const blob = ctx.index.get(blobKey('data', id));
    if (!blob) throw storageError('NotFound', `data blob ${id.slice(0, 8)} of ${it.dest} is in no index; the repository is missing data. Run check.`);
    out.push({ blob, pos });
    pos += plainLength(blob);
  }
  if (pos !== (it.node.size ?? 0)) throw storageError('Integrity', `${it.dest}: its blobs hold ${pos} bytes but the snapshot says ${it.node.size ?? 0}; the file was not written.`);
  return out;
}

function what(b: IndexedBlob): string {
  return `data blob ${b.id.slice(0, 8)} in pack ${b.pack.slice(0, 8)}`;
}

function metaOf(node: TreeNode) {
  const mtime = toSeconds(node.mtime);
  return {
    mode: posixPermissions(node.mode ?? 0o644),
    ...(node.uid !== undefined && node.gid !== undefined ? { uid: node.uid, gid: node.gid } : {}),
    ...(mtime !== undefined ? { mtime, atime: toSeconds(node.atime) ?? mtime } : {}),
  };
}

/** Hands a written file to the batch; it is counted once it is in place. */
function committed(ctx: Ctx, f: StagedFile, it: Planned): void {
  const p = ctx.batch.commit(f, metaOf(it.node)).then(() => {
    ctx.progress.files++;
    ctx.progress.bytes += it.node.size ?? 0;
    ctx.o.onProgress?.({ ...ctx.progress });
  });
  p.catch((e: unknown) => { ctx.placeFailed ??= e; });
  ctx.placing.push(p);
}

/** Runs every task to its end (none is left running unobserved), then throws the first failure. */
async function settle(tasks: Promise<unknown>[]): Promise<void> {
  const r = await Promise.allSettled(tasks);
  const bad = r.find((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (bad) throw bad.reason;
}

async function restoreWave(ctx: Ctx, wave: Planned[]): Promise<void> {
  const { o } = ctx;
  if (o.signal?.aborted) throw cancelled('The restore');
  if (ctx.placeFailed !== undefined) throw ctx.placeFailed;
  // every blob the wave needs, once, with the places it goes
  const uses = new Map<string, { blob: IndexedBlob; to: { wf: WaveFile; pos: number }[] }>();
  const files: WaveFile[] = [];
  for (const it of wave) {
    const parts = layout(ctx, it);
    const wf: WaveFile = { it, left: parts.length, file: undefined };
    files.push(wf);
    for (const { blob, pos } of parts) {
      const u = uses.get(blob.id) ?? { blob, to: [] };
      uses.set(blob.id, u);
      u.to.push({ wf, pos });
    }
  }
  let failed = false;
  const fileOf = (wf: WaveFile) => (wf.file ??= ctx.batch.begin(wf.it.dest, posixPermissions(wf.it.node.mode ?? 0o644), ctx.states.get(wf.it.dest)));
  const tasks: Promise<unknown>[] = [];
  // files with no data: nothing to read
  for (const wf of files) if (wf.left === 0) tasks.push(fileOf(wf).then((f) => committed(ctx, f, wf.it)));
  const land = async (wf: WaveFile, plain: Uint8Array, pos: number) => {
    const f = await fileOf(wf);
    if (failed) return;
    await f.write(plain, pos);
    if (--wf.left === 0) committed(ctx, f, wf.it);
  };
  const byPack = new Map<string, IndexedBlob[]>();
  for (const { blob } of uses.values()) {
    const list = byPack.get(blob.pack) ?? [];
    byPack.set(blob.pack, list);
    list.push(blob);
  }
  const reads: Promise<unknown>[] = [];
  for (const [pack, blobs] of byPack) {
    for (const range of ranges(blobs)) {
      reads.push((async () => {
        const bytes = await ctx.repo.backend.read('data', pack, { offset: range.start, length: range.end - range.start });
        if (bytes.length !== range.end - range.start) throw storageError('Integrity', `pack ${pack.slice(0, 8)} is shorter than the index says; run check.`);
        if (failed || o.signal?.aborted) return;
        // the run goes to a thread whole (not a copy of each blob), and its plaintexts come back together
        const opened = await ctx.openAll(bytes, range.blobs.map((b) => ({ offset: b.offset - range.start, length: b.length, shape: blobShape(b), what: what(b) })));
        await settle(range.blobs.map(async (b, i) => {
          const plain = opened[i]!;
          if (plain instanceof Error) throw plain;
          if (plain.length !== plainLength(b)) throw storageError('Integrity', `${what(b)}: holds ${plain.length} bytes, not the ${plainLength(b)} the index says.`);
          await settle(uses.get(b.id)!.to.map((t) => land(t.wf, plain, t.pos)));
          ctx.done([plain]);
        }));
      })().catch((e: unknown) => { failed = true; throw e; }));
    }
  }
  await settle(reads).finally(() => settle(tasks)).catch(async (e: unknown) => {
    failed = true;
    // the files this wave began and did not commit: their temps go, their targets stay as they were
    await settle(files.map(async (wf) => {
      if (!wf.file || wf.left === 0) return;
      const f = await wf.file.catch(() => undefined);
      if (f) await ctx.batch.discard(f).catch(() => undefined);
    }));
    throw e;
  });
  if (o.signal?.aborted) throw cancelled('The restore');
}

/** The blobs of one pack, in runs read with one read each. */
function ranges(blobs: IndexedBlob[]): { start: number; end: number; blobs: IndexedBlob[] }[] {
  const sorted = [...blobs].sort((a, b) => a.offset - b.offset);
  const out: { start: number; end: number; blobs: IndexedBlob[] }[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && b.offset - last.end <= GAP && b.offset + b.length - last.start <= RANGE_MAX) {
      last.end = Math.max(last.end, b.offset + b.length);
      last.blobs.push(b);
    } else {
      out.push({ start: b.offset, end: b.offset + b.length, blobs: [b] });
    }
  }
  return out;
}

/** A large file: its blobs read one by one, a few ahead, and written in order. */
async function restoreLarge(ctx: Ctx, it: Planned): Promise<void> {
  if (ctx.placeFailed !== undefined) throw ctx.placeFailed;
  const parts = layout(ctx, it);
  const signal = ctx.o.signal;
  const load = (i: number) => {
    const b = parts[i]!.blob;
    const p = ctx.repo.backend.read('data', b.pack, { offset: b.offset, length: b.length }).then((sealed) => ctx.openBlob(sealed, b, what(b)));
    p.catch(() => undefined); // awaited below; this only keeps an abandoned read from being reported as unhandled
    return p;
  };
  const f = await ctx.batch.begin(it.dest, posixPermissions(it.node.mode ?? 0o644), ctx.states.get(it.dest));
  try {
    const ahead: Promise<Uint8Array>[] = [];
    for (let i = 0; i < Math.min(LARGE_AHEAD, parts.length); i++) ahead.push(load(i));
    for (let i = 0; i < parts.length; i++) {
      if (signal?.aborted) throw cancelled('The restore');
      const plain = await ahead.shift()!;
      if (i + LARGE_AHEAD < parts.length) ahead.push(load(i + LARGE_AHEAD));
      const b = parts[i]!.blob;
      if (plain.length !== plainLength(b)) throw storageError('Integrity', `${what(b)}: holds ${plain.length} bytes, not the ${plainLength(b)} the index says.`);
      await f.write(plain, parts[i]!.pos);
      ctx.done([plain]);
    }
  } catch (e) {
    await ctx.batch.discard(f).catch(() => undefined);
    throw e;
  }
  committed(ctx, f, it);
}

/** A link: made where nothing was, or put in place of the entry seen there if that is unchanged. */
async function restoreSymlink(node: TreeNode, dest: string, seen: SeenTarget): Promise<void> {
  const target = node.linktarget ?? '';
  try {
    if (seen === 'absent') {
      await symlink(target, dest);
    } else {
      const temp = join(dest, '..', `.${randomBytes(6).toString('hex')}.si-link.tmp`);
      await symlink(target, temp);
      let renamed = false;
      try {
        renameIfStillAsSeen(temp, dest, seen);
        renamed = true;
      } finally {
        if (!renamed) await unlink(temp).catch(() => undefined);
      }
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
