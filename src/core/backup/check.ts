import { cancelled, messageOf } from '../errors';
import { OVERHEAD } from './crypto';
import type { Tree } from './model';
import { headerLength, parseHeader } from './pack';
import { eachLimited, Slots } from '../pool';
import { blobShape, readWork, type PackVerifier } from './readPool';
import { blobKey, type IndexedBlob, type Repository, type SnapshotEntry } from './repository';

/**
 * Packs read and not yet verified: one for each of the two threads and one being read, so memory
 * stays bounded; only two where three would be more than AHEAD_BYTES (restic's 16 MiB packs:
 * peak RSS 203-216 MB against 234-240 MB with three, in the same time).
 */
const PACKS_AHEAD = 3;
const AHEAD_BYTES = 40 << 20;
/**
 * A pack is one job for a thread: room for a pack of up to 8 MiB on each of two threads at once
 * (with the pool's default of 8 MiB, a second 4 MiB pack waited, and one thread did all the work).
 */
const QUEUED = 16 << 20;
/** Pack buffers are made in steps of this size, so packs of nearly one size reuse each other's. */
const SPARE_STEP = 1 << 20;
/**
 * Two threads verify whole packs (hash, then every blob), while the main thread only reads them
 * and parses their headers. On the 1 GiB bench tree: 3.2-3.4 s and 4.8-5.2 s of CPU, against
 * 3.7-4.0 s and 6.1-6.3 s when the main thread hashed each pack and sent each blob on its own.
 */
const CHECK_THREADS = 2;

export interface CheckOptions {
  /** Read every pack (or the subset) and check every blob's MAC and hash. */
  readData?: boolean;
  /** With readData: check only this share of the packs, like restic's --read-data-subset n/t. */
  subset?: { n: number; of: number };
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Worker threads that verify blobs (default: CHECK_THREADS; 0: all on this thread). */
  threads?: number;
}

export interface CheckProblem {
  kind: 'snapshot' | 'index' | 'pack-missing' | 'pack-damaged' | 'blob-damaged' | 'blob-unindexed' | 'tree-damaged';
  /** The file the problem is in: `snapshots/<id>`, `index/<id>` or `data/<id>`. */
  file?: string;
  blob?: string;
  message: string;
}

export interface AffectedSnapshot {
  snapshot: string;
  /** Paths in the snapshot whose data (or, for folders, whose listing) cannot be read back intact. */
  paths: string[];
}

export interface CheckReport {
  ok: boolean;
  problems: CheckProblem[];
  affected: AffectedSnapshot[];
  /** Packs present but in no index: restic reports them without failing. */
  unreferencedPacks: string[];
  packsRead: number;
  blobsChecked: number;
}

/** Like `restic check` (and `--read-data`), read-only: it takes no lock and writes nothing. */
export async function check(repo: Repository, o: CheckOptions = {}): Promise<CheckReport> {
  const problems: CheckProblem[] = [];
  const bad = new Set<string>();
  // Snapshots first, then the index (restic's read order).
  const snapshots: SnapshotEntry[] = [];
  for (const { name } of await repo.backend.list('snapshots')) {
    try {
      snapshots.push({ ...(await repo.readJson<SnapshotEntry>('snapshots', name)), id: name });
    } catch (e) {
      problems.push({ kind: 'snapshot', file: `snapshots/${name}`, message: messageOf(e) });
    }
  }
  const index = new Map<string, IndexedBlob>();
  const packs = new Map<string, IndexedBlob[]>();
  for (const { name } of await repo.backend.list('index')) {
    try {
      const file = await repo.readJson<{ packs: { id: string; blobs: { id: string; type: 'data' | 'tree'; offset: number; length: number; uncompressed_length?: number }[] }[] }>('index', name);
      for (const p of file.packs ?? []) {
        const list = packs.get(p.id) ?? [];
        packs.set(p.id, list);
        for (const b of p.blobs ?? []) {
          const e: IndexedBlob = { id: b.id, type: b.type, offset: b.offset, length: b.length, pack: p.id, ...(b.uncompressed_length !== undefined ? { uncompressedLength: b.uncompressed_length } : {}) };
          if (!index.has(blobKey(b.type, b.id))) list.push(e);
          index.set(blobKey(b.type, b.id), e);
        }
      }
    } catch (e) {
      problems.push({ kind: 'index', file: `index/${name}`, message: `${messageOf(e)} The blobs it listed count as unindexed below.` });
    }
  }
  const present = new Map((await repo.backend.list('data')).map((f) => [f.name, f.size]));
  for (const [id, blobs] of packs) {
    if (!present.has(id)) {
      problems.push({ kind: 'pack-missing', file: `data/${id}`, message: `pack ${id.slice(0, 8)} is listed in the index but missing from the repository (${blobs.length} blobs lost).` });
      for (const b of blobs) bad.add(blobKey(b.type, b.id));
    }
  }
  for (const [id, blobs] of packs) {
    const size = present.get(id);
    const expected = expectedPackSize(blobs);
    if (size !== undefined && size !== expected) {
      problems.push({ kind: 'pack-damaged', file: `data/${id}`, message: `pack ${id.slice(0, 8)} is ${size} bytes, but its index entries make it ${expected}: it was truncated or appended to.` });
      for (const b of blobs) bad.add(blobKey(b.type, b.id));
    }
  }
  const unreferencedPacks = [...present.keys()].filter((id) => !packs.has(id));

  // every tree the snapshots reach, read a few at a time while the packs are verified (the walk
  // below needs the verdicts, but not to wait for the reads)
  const trees = readTrees(repo, snapshots, index, o.signal);
  let packsRead = 0;
  let blobsChecked = 0;
  if (o.readData) {
    const chosen = [...packs.keys()].filter((id) => present.has(id) && inSubset(id, o.subset));
    const work = readWork(repo.key, chosen.reduce((n, id) => n + present.get(id)!, 0), o.threads ?? CHECK_THREADS, QUEUED);
    // Packs are read one after another, each in one read, ahead of the verification (bounded:
    // `ahead` packs in memory, plus what the pool has queued), and each is handed whole to a
    // worker thread while the next is read. Problems keep the packs' order.
    const found: CheckProblem[][] = [];
    const reader = new Slots(1);
    // Buffers the threads gave back, to read the next packs into: fresh ones each outlived their
    // pack on the thread until a full collection (restic's 16 MiB packs: 250-320 MB peak RSS)
    const spare: Uint8Array[] = [];
    const bufferFor = (size: number): Uint8Array => {
      const i = spare.findIndex((b) => b.length >= size);
      if (i >= 0) return spare.splice(i, 1)[0]!;
      // a little room, so packs of nearly one size share buffers
      return Buffer.allocUnsafeSlow(Math.ceil(size / SPARE_STEP) * SPARE_STEP);
    };
    const verify: PackVerifier = async (pack, packId, blobs, whole) => {
      const v = await work.verifyPack(pack, packId, blobs, whole);
      if (v.bytes && v.bytes.byteOffset === 0 && spare.length < ahead) spare.push(new Uint8Array(v.bytes.buffer));
      return v;
    };
    const largest = chosen.reduce((n, id) => Math.max(n, present.get(id)!), 0);
    const ahead = Math.max(2, Math.min(PACKS_AHEAD, Math.floor(AHEAD_BYTES / Math.max(largest, 1))));
    try {
      await eachLimited(chosen, ahead, async (id, i) => {
        if (o.signal?.aborted) throw cancelled('The check');
        const got = await reader.use(() => {
          const into = bufferFor(present.get(id)!);
          return repo.backend.read('data', id, undefined, into).then((b) => ({ b, whole: b.buffer === into.buffer }), (e: unknown) => ({ e }));
        });
        const mine: CheckProblem[] = [];
        found[i] = mine;
        const r = await readPack(repo, id, packs.get(id)!, present.get(id)!, mine, got, verify);
        for (const k of r.bad) bad.add(k);
        blobsChecked += r.checked;
        packsRead++;
        o.onProgress?.(packsRead, chosen.length);
      });
    } finally {
      await work.close();
    }
    for (const list of found) if (list) problems.push(...list);
  }

  const affected = await affectedPaths(snapshots, index, bad, problems, trees, o.signal);
  return { ok: problems.length === 0, problems, affected, unreferencedPacks, packsRead, blobsChecked };
}

/** Blobs, then the sealed header (37 or 41 bytes an entry, plus IV and MAC), then its 4-byte length. */
function expectedPackSize(blobs: IndexedBlob[]): number {
  let n = OVERHEAD + 4;
  for (const b of blobs) n += b.length + (b.uncompressedLength === undefined ? 37 : 41);
  return n;
}

/** restic's subset rule: a pack is in subset n of t when the first byte of its id mod t is n-1. */
function inSubset(id: string, s: { n: number; of: number } | undefined): boolean {
  if (!s) return true;
  return parseInt(id.slice(0, 2), 16) % s.of === s.n - 1;
}

async function readPack(repo: Repository, id: string, blobs: IndexedBlob[], size: number, problems: CheckProblem[], got: { b: Uint8Array; whole: boolean } | { e: unknown }, verifyPack: PackVerifier): Promise<{ bad: string[]; checked: number }> {
  const file = `data/${id}`;
  const badBlobs: string[] = [];
  if ('e' in got) {
    problems.push({ kind: 'pack-damaged', file, message: messageOf(got.e) });
    return { bad: blobs.map((b) => blobKey(b.type, b.id)), checked: 0 };
  }
  const bytes = got.b;
  const length = bytes.length;
  // the header here (it is small); the pack's hash and its blobs on a worker thread, which the bytes move to
  const headerProblems: CheckProblem[] = [];
  try {
    const hl = headerLength(bytes.subarray(length - 4), length, `pack ${id.slice(0, 8)}`);
    const header = parseHeader(repo.key, bytes.subarray(length - 4 - hl, length - 4), `pack ${id.slice(0, 8)}`);
    const inHeader = new Set(header.map((b) => `${b.type}:${b.id}:${b.offset}:${b.length}`));
    for (const b of blobs) {
      if (!inHeader.has(`${b.type}:${b.id}:${b.offset}:${b.length}`)) headerProblems.push({ kind: 'pack-damaged', file, blob: b.id, message: `pack ${id.slice(0, 8)}: its header does not list ${b.type} blob ${b.id.slice(0, 8)} where the index says.` });
    }
  } catch (e) {
    headerProblems.push({ kind: 'pack-damaged', file, message: messageOf(e) });
  }
  const placed = blobs.map((b) => ({
    offset: b.offset,
    length: b.length,
    shape: blobShape(b),
    what: `${b.type} blob ${b.id.slice(0, 8)} in pack ${id.slice(0, 8)}`,
  }));
  const verdict = await verifyPack(bytes, id, placed, got.whole);
  if (length !== size || !verdict.hashOk) {
    problems.push({ kind: 'pack-damaged', file, message: `pack ${id.slice(0, 8)}: its content does not hash to its name, so some of its bytes changed.` });
  }
  problems.push(...headerProblems);
  verdict.failures.forEach((failure, i) => {
    if (failure === undefined) return;
    const b = blobs[i]!;
    badBlobs.push(blobKey(b.type, b.id));
    problems.push({ kind: 'blob-damaged', file, blob: b.id, message: messageOf(failure) });
  });
  return { bad: badBlobs, checked: blobs.length };
}

/** A tree as read: the tree, or why it could not be. */
type TreeRead = Promise<Tree | Error>;

/** Trees read at once: enough to overlap the reads, each a small file read, decrypt and parse. */
const TREES_AT_ONCE = 8;

/** Gives an indexed tree's read by id, started now if it was not yet; it never rejects. */
type TreeReader = (b: IndexedBlob) => TreeRead;

/**
 * Starts reading every indexed tree the snapshots reach (each once, TREES_AT_ONCE at a time, a
 * folder's subtrees once it is read), where check's own index says it is. The repository's index
 * is never loaded: a second copy of it, read while packs are in memory for --read-data, pushed
 * peak RSS past 256 MB.
 */
function readTrees(repo: Repository, snapshots: SnapshotEntry[], index: Map<string, IndexedBlob>, signal?: AbortSignal): TreeReader {
  const reads = new Map<string, TreeRead>();
  const slots = new Slots(TREES_AT_ONCE);
  const start = (id: string): void => {
    const b = index.get(blobKey('tree', id));
    if (b) read(b);
  };
  const read: TreeReader = (b) => {
    let r = reads.get(b.id);
    if (!r) {
      r = slots.use(async () => {
        if (signal?.aborted) throw cancelled('The check');
        return repo.loadTreeAt(b);
      }).then((t) => {
        for (const n of t.nodes ?? []) if (n.type === 'dir' && n.subtree) start(n.subtree);
        return t;
      }, (e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      reads.set(b.id, r);
    }
    return r;
  };
  for (const s of snapshots) start(s.tree);
  return read;
}

/**
 * Walks every snapshot's trees (each tree read once, by readTrees) and names the paths that touch
 * a bad blob: files with a damaged, missing or unindexed data blob, and folders whose tree cannot
 * be read.
 */
async function affectedPaths(snapshots: SnapshotEntry[], index: Map<string, IndexedBlob>, bad: Set<string>, problems: CheckProblem[], readTree: TreeReader, signal?: AbortSignal): Promise<AffectedSnapshot[]> {
  const trees = new Map<string, Tree | Error>();
  const reported = new Set<string>();
  const loadTree = async (id: string): Promise<Tree | Error> => {
    let t = trees.get(id);
    if (t) return t;
    const key = blobKey('tree', id);
    const b = index.get(key);
    if (!b) t = new Error('unindexed');
    else if (bad.has(key)) t = new Error('damaged');
    else {
      t = await readTree(b);
      if (t instanceof Error) {
        if (signal?.aborted) throw cancelled('The check');
        problems.push({ kind: 'tree-damaged', blob: id, message: messageOf(t) });
      }
    }
    trees.set(id, t);
    return t;
  };
  const unindexed = (key: string, id: string, type: string) => {
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({ kind: 'blob-unindexed', blob: id, message: `${type} blob ${id.slice(0, 8)} is used by a snapshot but is in no index.` });
  };
  const out: AffectedSnapshot[] = [];
  for (const s of snapshots) {
    const paths: string[] = [];
    const visit = async (treeId: string, prefix: string): Promise<void> => {
      if (signal?.aborted) throw cancelled('The check');
      const t = await loadTree(treeId);
      if (t instanceof Error) {
        if (!index.has(blobKey('tree', treeId))) unindexed(blobKey('tree', treeId), treeId, 'tree');
        paths.push(prefix === '' ? '/' : prefix);
        return;
      }
      for (const n of t.nodes ?? []) {
        const p = `${prefix}/${n.name}`;
        if (n.type === 'dir' && n.subtree) await visit(n.subtree, p);
        else if (n.type === 'file') {
          let hit = false;
          for (const id of n.content ?? []) {
            const key = blobKey('data', id);
            if (!index.has(key)) { unindexed(key, id, 'data'); hit = true; }
            else if (bad.has(key)) hit = true;
          }
          if (hit) paths.push(p);
        }
      }
    };
    await visit(s.tree, '');
    if (paths.length > 0) out.push({ snapshot: s.id, paths });
  }
  return out;
}
