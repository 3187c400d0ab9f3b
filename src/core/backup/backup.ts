import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { open, readdir, lstat } from 'node:fs/promises';
import { hostname as osHostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { cancelled, storageError } from '../errors';
import { mapFsError } from '../local/fsErrors';
import { Chunker } from './chunker';
import { sha256Hex } from './encoding';
import { goJson } from './goJson';
import { lockRepository, type HeldLock } from './lock';
import type { Snapshot, TreeNode } from './model';
import { quoteName } from './nameQuote';
import { nodeFromStat, orderedNode, statNode } from './nodeFromStat';
import { Packer, type Compression } from './packer';
import { ParentTrees } from './parentTrees';
import { childPath, Prewalk } from './prewalk';
import { eachLimited, Slots } from '../pool';
import type { Repository, SnapshotEntry } from './repository';
import { saveJson } from './unpackedWriter';
import type { SealedBlob } from './blobOps';
import { BlobPool, LEND_MAX, type BlobPoolOptions } from './workers';

export interface BackupOptions {
  paths: string[];
  host?: string;
  tags?: string[];
  /** A snapshot id to compare against; default: the latest with the same host and paths, as restic. */
  parent?: string;
  /** Version 2 only: 'auto' (the default) compresses blobs where it saves space, 'off' never. */
  compression?: Compression;
  signal?: AbortSignal;
  onProgress?: (p: BackupProgress) => void;
  /**
   * The bytes to back up for a file instead of reading it, or undefined to read it as usual.
   * Asked for files that are read, and always for the paths its `claims` names, even when their
   * metadata matches the parent snapshot (their content then goes in by blob id, so bytes that did
   * not change add nothing); the extension answers for SQLite files open in the SQL view with a
   * consistent copy, whose change may be only in the -wal beside the main file.
   */
  source?: BackupSource;
  /** The worker threads that hash, compress and seal chunks (tests choose the count or the entry). */
  workers?: BlobPoolOptions;
  /**
   * A walk of the same paths started before the repository was opened: the CLI starts one before
   * the key is derived. (The backup's own walk already runs while the lock protocol waits.)
   */
  prewalk?: Prewalk;
}

/** See BackupOptions.source. */
export type BackupSource = ((path: string) => Promise<Uint8Array | undefined>) & { claims?: (path: string) => boolean };

export interface BackupProgress {
  /** Set when onProgress is given: a quick scan counts what there is first, so an ETA can be shown. */
  totalFiles?: number;
  totalBytes?: number;
  files: number;
  dirs: number;
  bytesRead: number;
  /** Files whose metadata matched the parent snapshot, so they were not read. */
  filesUnchanged: number;
}

export interface BackupResult extends BackupProgress {
  snapshotId: string;
  parent?: string;
  /** Bytes written to the repository (packs, index, snapshot). */
  bytesAdded: number;
  /** Entries that could not be read; the snapshot holds everything else. */
  warnings: string[];
}

const READ_SIZE = 1024 * 1024;
/**
 * Files up to this size are read on this thread with synchronous calls, like the lstat before:
 * one open, read and close that cost a few microseconds each from the page cache, where the promise
 * calls' round trips through the thread pool cost a fifth of a first backup's CPU (1 GiB of
 * 10,000 files: 12.1 -> 10.2 s of CPU, 7.5 -> 6.3 s, measured here). Larger files keep the
 * promise reads, so a slow disk never holds this thread for more than one small read.
 */
const SYNC_READ_MAX = READ_SIZE;
/** The read that finds a file's end after its expected size (a file may grow while it is read). */
const END_PROBE = 16 * 1024;
/** Chunk bytes of one file sent to the worker threads and not yet packed. */
const SEALING_PER_FILE = 8 * 1024 * 1024;
const FILES_AT_ONCE = 6;
const ENTRIES_AT_ONCE = 8;

/** Nodes in the byte order of their UTF-8 names, as restic sorts them (each name encoded once). */
function sortByName(nodes: TreeNode[]): TreeNode[] {
  const keyed = nodes.map((n) => ({ n, k: Buffer.from(n.name) }));
  keyed.sort((a, b) => Buffer.compare(a.k, b.k));
  return keyed.map((x) => x.n);
}

/** restic's fileChanged: type, size, mtime, ctime and inode all equal means the content is too. */
function unchanged(now: TreeNode, before: TreeNode | undefined): boolean {
  return !!before && before.type === 'file' && (before.size ?? 0) === (now.size ?? 0) && before.mtime === now.mtime && before.ctime === now.ctime && before.inode === now.inode;
}

const STORED_FIELDS = ['type', 'mode', 'mtime', 'atime', 'ctime', 'user', 'group', 'inode', 'device_id', 'size', 'links', 'linktarget', 'device', 'subtree'] as const;

/**
 * Whether a node would be written exactly as `stored` (from a tree we loaded) is: the same
 * strings and numbers in every field orderedNode writes (it leaves out empty ones), the same content.
 */
function sameAsStored(n: TreeNode, stored: TreeNode | undefined): boolean {
  if (!stored || stored.extended_attributes !== undefined || (n.uid ?? 0) !== (stored.uid ?? 0) || (n.gid ?? 0) !== (stored.gid ?? 0)) return false;
  for (const k of STORED_FIELDS) if ((n[k] || undefined) !== (stored[k] || undefined)) return false;
  const a = n.content ?? null;
  const b = stored.content ?? null;
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Errors of the worker threads or the pack writes: they end the backup, never just skip a file. */
const repositorySide = new WeakSet<object>();

class Archiver {
  readonly progress: BackupProgress = { files: 0, dirs: 0, bytesRead: 0, filesUnchanged: 0 };
  readonly warnings: string[] = [];
  private readonly trees: ParentTrees;
  /** Where each file's end is looked for (one for all: only the bytes of a file that grew are kept, copied). */
  private readonly probe = Buffer.allocUnsafe(END_PROBE);
  /** Files open at once, across all folders (each holds a read buffer and a chunk). */
  private readonly fileSlots = new Slots(FILES_AT_ONCE);
  constructor(
    private readonly repo: Repository,
    readonly packer: Packer,
    private readonly blobs: BlobPool,
    private readonly o: BackupOptions,
    private readonly pre?: Prewalk,
  ) {
    this.trees = new ParentTrees(repo);
  }

  /** The parent trees of the subfolders, read ahead together (a folder that is gone just leaves one unread). */
  private async prefetchSubtrees(old: Map<string, TreeNode>): Promise<void> {
    const ids: string[] = [];
    for (const n of old.values()) if (n.type === 'dir' && n.subtree) ids.push(n.subtree);
    if (ids.length > 1) await this.trees.prefetch(ids).catch(() => undefined);
  }

  private checkCancel(): void {
    if (this.o.signal?.aborted) throw cancelled('The backup');
  }

  /** A folder's tree, saved; returns its id. `before` is the same folder's tree in the parent snapshot. */
  async saveDir(path: string, before: string | undefined): Promise<string> {
    this.checkCancel();
    const old = new Map<string, TreeNode>();
    if (before) {
      try {
        for (const n of (await this.trees.load(before)).nodes ?? []) old.set(n.name, n);
        await this.prefetchSubtrees(old);
      } catch {
        // an unreadable parent tree only means everything below is read again
      }
    }
    let names: string[];
    try {
      // on this thread, as lstat: the promise version cost several times the CPU
      names = this.pre?.takeNames(path) ?? readdirSync(path);
    } catch (e) {
      throw mapFsError(e, path);
    }
    // Entries side by side: one file's reads, lstat and the pack fsyncs overlap another's chunking.
    const found: (TreeNode | undefined)[] = new Array(names.length);
    await eachLimited(names, ENTRIES_AT_ONCE, async (name, i) => {
      // plain concatenation: path.join's normalising was a tenth of an unchanged backup's CPU
      found[i] = await this.saveEntry(childPath(path, name), name, old.get(name));
    });
    const nodes = found.filter((n): n is TreeNode => n !== undefined);
    this.progress.dirs++;
    // Every entry as the parent tree has it: that tree's bytes are the ones we would write, so
    // its id is this folder's (no serialising and hashing again, mostly for an unchanged backup).
    if (before && old.size === nodes.length && nodes.every((n) => sameAsStored(n, old.get(n.name))) && (await this.packer.has('tree', before))) return before;
    return this.saveTree(nodes);
  }

  async saveEntry(path: string, name: string, before: TreeNode | undefined): Promise<TreeNode | undefined> {
    let node = this.pre?.takeNode(path);
    // a file that will be read is stat'ed now, so its metadata is as recent as the bytes read
    if (node?.type === 'file' && !this.keptNow(path, node, before)) node = undefined;
    if (!node) {
      try {
        node = statNode(path, name);
      } catch (e) {
        this.warnings.push(`${path}: ${mapFsError(e, path).message}`);
        return undefined;
      }
    }
    if (node.type === 'dir') {
      node.subtree = await this.saveDir(path, before?.type === 'dir' ? before.subtree : undefined);
    } else if (node.type === 'file') {
      try {
        node.content = await this.saveFile(path, node, before);
      } catch (e) {
        // a file that cannot be read is a warning; a failure to seal or write is the backup's
        if ((e as { code?: string }).code === 'Cancelled' || repositorySide.has(e as object)) throw e;
        this.warnings.push(`${path}: ${mapFsError(e, path).message}`);
        return undefined;
      }
      this.progress.files++;
      this.o.onProgress?.({ ...this.progress });
    }
    return node;
  }

  saveFile(path: string, node: TreeNode, before: TreeNode | undefined): Promise<string[]> {
    // an unchanged file whose blobs the loaded index has: kept without a slot or an await per blob
    const kept = this.keptNow(path, node, before);
    if (kept) {
      this.progress.filesUnchanged++;
      return Promise.resolve(kept);
    }
    return this.fileSlots.use(() => this.readFile(path, node, before));
  }

  /** The parent's blob list of an unchanged file when the loaded index already has every blob of it. */
  private keptNow(path: string, node: TreeNode, before: TreeNode | undefined): string[] | undefined {
    const kept = this.reusable(path, node, before);
    return kept?.every((id) => this.packer.hasNow('data', id) === true) ? kept : undefined;
  }

  /** The parent's blob list of a file whose metadata did not change and that the source does not claim. */
  private reusable(path: string, node: TreeNode, before: TreeNode | undefined): string[] | undefined {
    return unchanged(node, before) && !this.o.source?.claims?.(path) ? before!.content ?? undefined : undefined;
  }

  private async readFile(path: string, node: TreeNode, before: TreeNode | undefined): Promise<string[]> {
    const kept = this.reusable(path, node, before);
    if (kept) {
      let all = true;
      for (const id of kept) if (!(await this.packer.has('data', id))) { all = false; break; }
      if (all) {
        this.progress.filesUnchanged++;
        return kept;
      }
    }
    const chunker = new Chunker(this.repo.config.chunker_polynomial);
    const ids: string[] = [];
    // Chunks hashed, compressed and sealed on the worker threads, in file order; a few in flight
    // per file so one big file keeps every thread busy, and memory stays bounded.
    const sealing: { blob: Promise<SealedBlob>; bytes: number }[] = [];
    let sealingBytes = 0;
    const takeOldest = async (): Promise<void> => {
      const next = sealing.shift()!;
      sealingBytes -= next.bytes;
      try {
        const s = await next.blob;
        ids.push(s.id);
        await this.packer.addPrepared('data', s);
      } catch (e) {
        if (typeof e === 'object' && e !== null) repositorySide.add(e);
        throw e;
      }
    };
    let pending: Uint8Array[] = [];
    // whether pending[0] lies in a buffer of ours (a read buffer, not bytes the caller gave)
    let firstOurs = false;
    const emit = async () => {
      const ours = pending.length > 1 || firstOurs;
      const chunk = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      pending = [];
      // a chunk that is its whole buffer (most files are one read and one chunk) moves to the
      // worker without a copy; nothing else refers to that buffer any more
      const blob = this.blobs.seal(this.repo.key, chunk, this.packer.compresses, { transfer: ours });
      blob.catch(() => undefined); // awaited in order by takeOldest; this only stops an unhandled-rejection report
      sealing.push({ blob, bytes: chunk.length });
      sealingBytes += chunk.length;
      while (sealingBytes > SEALING_PER_FILE) await takeOldest();
    };
    const feed = async (data: Uint8Array, ours: boolean) => {
      this.checkCancel();
      const length = data.length;
      this.progress.bytesRead += length;
      let from = 0;
      for (const cut of chunker.cuts(data)) {
        if (pending.length === 0) firstOurs = ours;
        pending.push(data.subarray(from, cut));
        await emit();
        from = cut;
      }
      if (from < length) {
        if (pending.length === 0) firstOurs = ours;
        pending.push(data.subarray(from));
      }
    };
    try {
      const given = await this.o.source?.(path);
      if (given) {
        node.size = given.length;
        await feed(given, false);
      } else {
        const small = (node.size ?? 0) <= SYNC_READ_MAX;
        const fd = small ? openSync(path, 'r') : undefined;
        const fh = fd === undefined ? await open(path, 'r') : undefined;
        try {
          // buffers sized to the file (most are far below 1 MiB; a small file's is lent by the
          // pool and comes back once sealed), then the probe that sees the end
          const expected = node.size ?? 0;
          // the shared probe only for synchronous reads: no other file's read can land in it meanwhile
          const probe = fd !== undefined ? this.probe : Buffer.allocUnsafe(END_PROBE);
          const read = async (b: Buffer, n: number): Promise<number> => (fd !== undefined ? readSync(fd, b, 0, n, null) : (await fh!.read(b, 0, n, null)).bytesRead);
          let done = 0;
          for (;;) {
            if (done >= expected) {
              const n = await read(probe, END_PROBE);
              if (n === 0) break;
              // the file grew while read: its new bytes, copied out of the probe
              done += n;
              await feed(Buffer.from(probe.subarray(0, n)), true);
              continue;
            }
            const want = Math.min(READ_SIZE, expected - done);
            const buf = fd !== undefined && want <= LEND_MAX ? this.blobs.lend(want) : Buffer.allocUnsafe(want);
            const bytesRead = await read(buf, want);
            if (bytesRead === 0) break;
            done += bytesRead;
            await feed(bytesRead === want ? buf : buf.subarray(0, bytesRead), true);
          }
        } finally {
          if (fd !== undefined) closeSync(fd);
          else await fh!.close();
        }
      }
      if (pending.length > 0) await emit();
      while (sealing.length > 0) await takeOldest();
    } finally {
      sealing.length = 0;
    }
    return ids;
  }

  /** A folder above the chosen paths: its own metadata, and only the chosen names below it. */
  async saveVirtual(dir: string, children: Layout, before: string | undefined): Promise<string> {
    const old = new Map<string, TreeNode>();
    if (before) for (const n of (await this.trees.load(before).catch(() => ({ nodes: [] as TreeNode[] }))).nodes ?? []) old.set(n.name, n);
    await this.prefetchSubtrees(old);
    const nodes: TreeNode[] = [];
    for (const [name, sub] of Object.entries(children)) {
      const path = join(dir, name);
      if (sub === true) {
        const node = await this.saveEntry(path, name, old.get(name));
        if (!node) throw storageError('NotFound', `backup: ${this.warnings.pop() ?? path}`);
        nodes.push(node);
        continue;
      }
      let node: TreeNode;
      try {
        node = nodeFromStat(name, await lstat(path, { bigint: true }));
      } catch (e) {
        throw mapFsError(e, path);
      }
      const prev = old.get(name);
      node.subtree = await this.saveVirtual(path, sub, prev?.type === 'dir' ? prev.subtree : undefined);
      nodes.push(node);
    }
    return this.saveTree(nodes);
  }

  async saveTree(nodes: TreeNode[]): Promise<string> {
    const bytes = Buffer.from(goJson({ nodes: sortByName(nodes).map((n) => orderedNode(n, quoteName(n.name))) }) + '\n', 'utf8');
    const id = sha256Hex(bytes);
    await this.packer.add('tree', id, bytes);
    return id;
  }
}

/** The folders above the chosen paths, as nested names; `true` marks a chosen path (restic keeps the whole absolute path). */
interface Layout {
  [name: string]: Layout | true;
}

function layout(paths: string[]): Layout {
  const root: Layout = {};
  for (const p of paths) {
    const parts = p.split('/').filter(Boolean);
    if (parts.length === 0) throw storageError('BadInput', 'backup: backing up / itself is not supported; name the folders under it.');
    let at = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) at[part] = true;
      else {
        const next = at[part];
        if (next === true) return;
        if (!next) at[part] = {};
        at = at[part] as Layout;
      }
    });
  }
  return root;
}

/** Files and bytes under `paths` (lstat only, no reads), for progress totals. */
async function scan(paths: string[], signal?: AbortSignal): Promise<{ totalFiles: number; totalBytes: number }> {
  const t = { totalFiles: 0, totalBytes: 0 };
  const visit = async (p: string): Promise<void> => {
    if (signal?.aborted) throw cancelled('The backup');
    const st = await lstat(p).catch(() => undefined);
    if (!st) return;
    if (st.isFile()) {
      t.totalFiles++;
      t.totalBytes += st.size;
    } else if (st.isDirectory()) {
      for (const n of await readdir(p).catch(() => [] as string[])) await visit(join(p, n));
    }
  };
  for (const p of paths) await visit(p);
  return t;
}

interface Start {
  parent: SnapshotEntry | undefined;
  /** The index and snapshot files listed before they were read. */
  indexNames: string;
  snapshotNames: string;
}

async function listed(repo: Repository, type: 'index' | 'snapshots'): Promise<string> {
  return (await repo.backend.list(type)).map((f) => f.name).sort().join(',');
}

/** The index (loaded into repo) and the parent snapshot, side by side. */
async function startingPoint(repo: Repository, ref: string | undefined, host: string, paths: string[]): Promise<Start> {
  const [indexNames, snapshotNames] = await Promise.all([listed(repo, 'index'), listed(repo, 'snapshots')]);
  repo.resetIndex();
  const [, parent] = await Promise.all([repo.loadIndex(), findParent(repo, ref, host, paths)]);
  return { parent, indexNames, snapshotNames };
}

/** Whether the same index and snapshot files are listed now as when `start` was read (see backup). */
async function stillCurrent(repo: Repository, start: Start): Promise<boolean> {
  const [indexNames, snapshotNames] = await Promise.all([listed(repo, 'index'), listed(repo, 'snapshots')]);
  return start.indexNames === indexNames && start.snapshotNames === snapshotNames;
}

/** The snapshot named by `ref`, or else the latest with the same host and paths (restic's choice). */
async function findParent(repo: Repository, ref: string | undefined, host: string, paths: string[]): Promise<SnapshotEntry | undefined> {
  if (ref) return repo.findSnapshot(ref);
  return (await repo.snapshots()).filter((s) => s.hostname === host && samePaths(s.paths, paths)).pop();
}

function samePaths(a: string[], b: string[]): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((p, i) => p === y[i]);
}

/**
 * Backs up `paths` into the repository as restic does: chunks with the repository's polynomial,
 * skips files unchanged since the parent snapshot, writes packs, then the index, then the snapshot,
 * all under a non-exclusive lock. A kill at any point leaves only unreferenced packs behind.
 */
export async function backup(repo: Repository, o: BackupOptions): Promise<BackupResult> {
  if (o.paths.length === 0) throw storageError('BadInput', 'backup: name at least one file or folder to back up.');
  const paths = o.paths.map((p) => resolve(p));
  if (new Set(paths).size !== paths.length) throw storageError('BadInput', 'backup: a path is named twice.');
  const host = o.host ?? osHostname();
  // The lock protocol waits 200 ms. Meanwhile the index and the snapshots load, and the folders are
  // walked against them: packs wait for the lock before they are written, and the walk counts only
  // if the same index and snapshot files are listed once the lock is ours. Files are named by their
  // hash, so a prune or forget that ran in between shows as other names; then the walk runs again
  // under the lock. (The CLI may start a walk ahead, o.prewalk, before the key is derived.)
  const early = startingPoint(repo, o.parent, host, paths);
  early.catch(() => undefined);
  const pre = o.prewalk;
  const locking = lockRepository(repo);
  // a refused lock ends the walk that ran beside it
  const walkSignal = new AbortController();
  const abortWalk = () => walkSignal.abort();
  locking.catch(abortWalk);
  if (o.signal?.aborted) abortWalk();
  o.signal?.addEventListener('abort', abortWalk);
  // Threads start with the first file read (none for an unchanged backup), more as work queues up.
  const blobs = BlobPool.start({ inlineWhileStarting: true, ...o.workers });
  let lock: HeldLock | undefined;
  // the Archiver of the walk under way, and the totals of the scan for progress once it has them
  let current: Archiver | undefined;
  let totals: { totalFiles: number; totalBytes: number } | undefined;
  const walk = async (parent: SnapshotEntry | undefined, writesAfter: Promise<unknown> | undefined, ahead: Prewalk | undefined) => {
    const packer = new Packer(repo, o.compression, (parts) => blobs.giveBack(parts), writesAfter);
    const a = new Archiver(repo, packer, blobs, { ...o, signal: walkSignal.signal }, ahead);
    current = a;
    if (totals) Object.assign(a.progress, totals);
    const tree = await a.saveVirtual('/', layout(paths), parent?.tree);
    // The write order that keeps every state valid: packs, then the index naming them, then the snapshot.
    await packer.flushAll();
    return { parent, packer, a, tree };
  };
  // the totals for progress come from a scan beside the backup, not before it
  const scanning = o.onProgress ? scan(paths, walkSignal.signal).then((t) => { totals = t; if (current) Object.assign(current.progress, t); }) : undefined;
  scanning?.catch(() => undefined);
  try {
    const start = await early.catch(() => undefined);
    // The backup's own walk starts here and takes what the walk ahead found. With no parent,
    // every file is read (and stat'ed again as it is read), so the nodes kept only hold memory.
    pre?.stop();
    const ahead = start?.parent ? pre : undefined;
    if (!ahead) pre?.clear();
    const first = start ? walk(start.parent, locking, ahead).then((r) => ({ r }), (e: unknown) => ({ e })) : undefined;
    try {
      lock = await locking;
    } catch (e) {
      await first;
      throw e;
    }
    const settled = await first;
    let done: Awaited<ReturnType<typeof walk>>;
    if (start && settled && (await stillCurrent(repo, start))) {
      if ('e' in settled) throw settled.e;
      done = settled.r;
    } else {
      // read again under the lock, and walk again; packs the first walk wrote stay unreferenced
      done = await walk((await startingPoint(repo, o.parent, host, paths)).parent, undefined, undefined);
    }
    const { parent, packer, a, tree } = done;
    if (scanning) {
      await scanning;
      o.onProgress?.({ ...a.progress });
    }
    let bytesAdded = packer.bytesAdded;
    if (packer.written.length > 0) {
      const name = await saveJson(repo, 'index', { packs: packer.written });
      bytesAdded += await repo.backend.size('index', name);
    }
    const u = userInfo();
    const snap: Snapshot = { time: new Date().toISOString(), ...(parent ? { parent: parent.id } : {}), tree, paths, hostname: host, username: u.username };
    if (u.uid) snap.uid = u.uid;
    if (u.gid) snap.gid = u.gid;
    if (o.tags?.length) snap.tags = o.tags;
    const snapshotId = await saveJson(repo, 'snapshots', snap);
    bytesAdded += await repo.backend.size('snapshots', snapshotId);
    repo.resetIndex();
    return { ...a.progress, snapshotId, ...(parent ? { parent: parent.id } : {}), bytesAdded, warnings: a.warnings };
  } finally {
    o.signal?.removeEventListener('abort', abortWalk);
    await blobs.close();
    await lock?.release();
  }
}
