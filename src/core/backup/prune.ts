import { cancelled, storageError } from '../errors';
import { lockRepository } from './lock';
import type { IndexFile } from './model';
import { Packer } from './packer';
import { blobKey, decodeBlob, type IndexedBlob, type Repository } from './repository';
import { saveJson } from './unpackedWriter';

export interface PruneOptions {
  /** Work out what would go, and change nothing. */
  dryRun?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { phase: 'scan' | 'repack' | 'index' | 'delete'; done: number; total: number }) => void;
}

export interface PruneReport {
  dryRun: boolean;
  /** Packs whose every blob is still used: left as they are. */
  packsKept: number;
  /** Packs holding used and unused blobs: the used ones are copied into new packs. */
  packsRepacked: number;
  /** Packs with no used blob, plus packs that no index names (left by interrupted runs). */
  packsDeleted: number;
  packsWritten: number;
  blobsUsed: number;
  blobsRemoved: number;
  /** Bytes of packs removed, less the bytes of the new packs. */
  bytesFreed: number;
  indexFilesWritten: number;
  indexFilesRemoved: number;
}

/** restic keeps index files to about this many blobs each. */
const INDEX_BLOBS = 50_000;

type Pack = { id: string; blobs: IndexedBlob[] };

/** Every blob the snapshots reach (trees and file contents), each tree read once. */
async function usedBlobs(repo: Repository, signal?: AbortSignal, onTree?: () => void): Promise<Set<string>> {
  const used = new Set<string>();
  const visit = async (tree: string): Promise<void> => {
    const key = blobKey('tree', tree);
    if (used.has(key)) return;
    if (signal?.aborted) throw cancelled('The prune');
    used.add(key);
    let nodes;
    try {
      nodes = (await repo.loadTree(tree)).nodes ?? [];
    } catch (e) {
      throw storageError('Integrity', `prune stopped before changing anything: tree ${tree.slice(0, 8)} cannot be read (${(e as Error).message}) Run check, and fix the repository first.`, e);
    }
    onTree?.();
    for (const n of nodes) {
      if (n.type === 'file') for (const id of n.content ?? []) used.add(blobKey('data', id));
      else if (n.type === 'dir' && n.subtree) await visit(n.subtree);
    }
  };
  for (const s of await repo.snapshots()) await visit(s.tree);
  return used;
}

/**
 * Removes the data no snapshot uses, as restic prune does, under an exclusive lock. Packs that
 * are partly used are repacked (their used blobs, checked, copied into new packs). The order keeps
 * every moment valid for restic check: new packs, then the new index, then the old index files
 * are removed, and only then the packs no index names.
 */
export async function prune(repo: Repository, o: PruneOptions = {}): Promise<PruneReport> {
  const lock = await lockRepository(repo, true);
  try {
    return await pruneLocked(repo, o);
  } finally {
    await lock.release();
  }
}

async function pruneLocked(repo: Repository, o: PruneOptions): Promise<PruneReport> {
  repo.resetIndex();
  await repo.loadIndex();
  const oldIndexFiles = repo.indexFiles.map((f) => f.name);
  const present = new Map((await repo.backend.list('data')).map((f) => [f.name, f.size]));
  // Each pack once (a pack may sit in several index files), and only packs that exist.
  const packs = new Map<string, Pack>();
  for (const { file } of repo.indexFiles) {
    for (const p of file.packs ?? []) {
      if (packs.has(p.id) || !present.has(p.id)) continue;
      packs.set(p.id, { id: p.id, blobs: (p.blobs ?? []).map((b) => ({ id: b.id, type: b.type, offset: b.offset, length: b.length, pack: p.id, ...(b.uncompressed_length !== undefined ? { uncompressedLength: b.uncompressed_length } : {}) })) });
    }
  }
  let trees = 0;
  const used = await usedBlobs(repo, o.signal, () => o.onProgress?.({ phase: 'scan', done: ++trees, total: 0 }));

  // One copy of each used blob: preferably in a pack that is kept whole.
  const copies = new Map<string, Pack[]>();
  for (const p of packs.values()) for (const b of p.blobs) {
    const k = blobKey(b.type, b.id);
    if (!used.has(k)) continue;
    const list = copies.get(k) ?? [];
    list.push(p);
    copies.set(k, list);
  }
  const missing = [...used].filter((k) => !copies.has(k));
  if (missing.length > 0) {
    throw storageError('Integrity', `prune stopped before changing anything: ${missing.length} blob(s) the snapshots use are in no pack that exists (first: ${missing[0]!.replace(':', ' ')}). Run check to see what is affected.`);
  }
  const allUsed = (p: Pack) => p.blobs.every((b) => used.has(blobKey(b.type, b.id)));
  const chosen = new Map<string, string>();
  for (const [k, list] of copies) chosen.set(k, (list.find(allUsed) ?? list[0]!).id);
  const keep: Pack[] = [];
  const repack: Pack[] = [];
  const drop = new Set<string>(); // pack ids to delete at the end
  let blobsRemoved = 0;
  for (const p of packs.values()) {
    const mine = p.blobs.filter((b) => chosen.get(blobKey(b.type, b.id)) === p.id);
    // a pack that lists the same blob twice keeps one copy
    const seen = new Set<string>();
    const unique = mine.filter((b) => { const k = blobKey(b.type, b.id); if (seen.has(k)) return false; seen.add(k); return true; });
    blobsRemoved += p.blobs.length - unique.length;
    if (unique.length === p.blobs.length) keep.push(p);
    else if (unique.length === 0) drop.add(p.id);
    else {
      repack.push({ id: p.id, blobs: unique });
      drop.add(p.id);
    }
  }
  for (const id of present.keys()) if (!packs.has(id)) drop.add(id);
  const report: PruneReport = {
    dryRun: !!o.dryRun, packsKept: keep.length, packsRepacked: repack.length, packsDeleted: drop.size - repack.length, packsWritten: 0,
    blobsUsed: used.size, blobsRemoved, bytesFreed: [...drop].reduce((n, id) => n + (present.get(id) ?? 0), 0), indexFilesWritten: 0, indexFilesRemoved: 0,
  };
  const nothingToDo = drop.size === 0 && oldIndexFiles.length <= Math.max(1, Math.ceil(keep.reduce((n, p) => n + p.blobs.length, 0) / INDEX_BLOBS));
  if (o.dryRun || nothingToDo) return report;

  // 1. Used blobs of partly used packs into new packs, each blob's MAC and hash checked first.
  const packer = new Packer(repo);
  for (let i = 0; i < repack.length; i++) {
    if (o.signal?.aborted) throw cancelled('The prune');
    const p = repack[i]!;
    const bytes = await repo.backend.read('data', p.id);
    for (const b of p.blobs) {
      const sealed = bytes.subarray(b.offset, b.offset + b.length);
      decodeBlob(repo.key, b, sealed, `${b.type} blob ${b.id.slice(0, 8)} in pack ${p.id.slice(0, 8)}`);
      await packer.addSealed(b, sealed);
    }
    o.onProgress?.({ phase: 'repack', done: i + 1, total: repack.length });
  }
  await packer.flushAll();
  report.packsWritten = packer.written.length;
  report.bytesFreed -= packer.bytesAdded;

  // 2. The new index: every kept pack and every new one, before anything is removed.
  const entries: IndexFile['packs'] = keep.map((p) => ({ id: p.id, blobs: p.blobs.map((b) => ({ id: b.id, type: b.type, offset: b.offset, length: b.length, ...(b.uncompressedLength !== undefined ? { uncompressed_length: b.uncompressedLength } : {}) })) }));
  entries.push(...packer.written);
  const written = new Set<string>();
  let batch: IndexFile['packs'] = [];
  let blobs = 0;
  const writeBatch = async () => {
    if (batch.length === 0) return;
    written.add(await saveJson(repo, 'index', { packs: batch }));
    o.onProgress?.({ phase: 'index', done: written.size, total: 0 });
    batch = [];
    blobs = 0;
  };
  for (const e of entries) {
    batch.push(e);
    blobs += e.blobs.length;
    if (blobs >= INDEX_BLOBS) await writeBatch();
  }
  await writeBatch();
  report.indexFilesWritten = written.size;

  // 3. The old index files, then 4. the packs no index names any more.
  for (const name of oldIndexFiles) {
    if (written.has(name)) continue;
    await repo.backend.remove('index', name);
    report.indexFilesRemoved++;
  }
  let done = 0;
  for (const id of drop) {
    await repo.backend.remove('data', id);
    o.onProgress?.({ phase: 'delete', done: ++done, total: drop.size });
  }
  repo.resetIndex();
  return report;
}
