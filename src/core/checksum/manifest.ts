import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cancelled, storageError } from '../errors';
import { atomicWrite } from '../local/atomicWrite';
import { mapFsError } from '../local/fsErrors';
import { type Algorithm } from './algorithms';
import { hashFile } from './hashFile';
import { formatManifest, parseManifest, type ManifestEntry, type ManifestFlavor } from './manifestFormat';
import { walkFiles, type WalkedFile } from './walk';
import { hashFilesInWorkers, WORKER_ALGORITHMS } from './workerPool';

// Below this many files, starting threads costs more than it saves.
const WORKERS_FROM = 16;

export type ManifestAlgorithm = 'sha256' | 'blake3';

export interface Progress {
  files: number;
  totalFiles: number;
  /** Bytes hashed so far (file sizes are not stat'ed up front: that would cost a call per file). */
  bytes: number;
  totalBytes: number;
}

export interface ManifestRunOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Files hashed at once on the main thread (blake3 and the other wasm hashes). */
  concurrency?: number;
  /** Worker threads for sha256/sha1/md5 (default: one per core; 0 keeps them on the main thread). */
  threads?: number;
}

export type VerifyStatus = 'ok' | 'changed' | 'missing' | 'new';
export interface VerifyResult {
  name: string;
  status: VerifyStatus;
  expected?: string;
  actual?: string;
  /** 0-based line of the entry in the manifest (absent for new files). */
  line?: number;
}

const flavorOf = (a: ManifestAlgorithm): ManifestFlavor => (a === 'sha256' ? 'coreutils' : 'b3sum');
export const manifestFileName = (a: ManifestAlgorithm): string => (a === 'sha256' ? 'SHA256SUMS' : 'B3SUMS');
const isManifestName = (n: string): boolean => n === 'SHA256SUMS' || n === 'B3SUMS';

/** Hashes every file under `dir` and writes `dir/SHA256SUMS` (or B3SUMS) atomically. Returns its path. */
export async function writeManifest(dir: string, algorithm: ManifestAlgorithm, options: ManifestRunOptions = {}): Promise<{ path: string; entries: ManifestEntry[] }> {
  const files = await walkFiles(dir, isManifestName, options.signal);
  if (options.signal?.aborted) throw cancelled('Writing the manifest');
  const hexes = await hashAll(files, algorithm, options);
  const entries = files.map((f, i) => ({ name: f.name, hex: hexes[i] ?? '' }));
  const path = join(dir, manifestFileName(algorithm));
  await atomicWrite(path, Buffer.from(formatManifest(entries, flavorOf(algorithm)), 'utf8'));
  return { path, entries };
}

/**
 * Checks `manifestPath` against the folder it sits in: each listed file is ok, changed or
 * missing; files under the folder that it does not list are new.
 */
export async function verifyManifest(manifestPath: string, algorithm: ManifestAlgorithm, options: ManifestRunOptions = {}): Promise<VerifyResult[]> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (e) {
    throw mapFsError(e, manifestPath);
  }
  const listed = parseManifest(text, manifestPath);
  const dir = join(manifestPath, '..');
  // Both algorithms give 256-bit digests.
  const want = 64;
  const bad = listed.find((e) => e.hex.length !== want);
  if (bad) throw storageError('BadInput', `${manifestPath} lists ${bad.name} with a ${bad.hex.length}-digit checksum; ${algorithm} needs ${want}. Pick the matching algorithm.`);
  const present = await walkFiles(dir, isManifestName, options.signal);
  if (options.signal?.aborted) throw cancelled('Verifying the manifest');
  const listedNames = new Set(listed.map((e) => e.name.replace(/^\.\//, '')));
  const targets: WalkedFile[] = [];
  const missing = new Set<number>();
  for (const [i, e] of listed.entries()) {
    const path = join(dir, e.name);
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) missing.add(i);
    targets.push({ name: e.name, path, size: st?.size ?? 0 });
  }
  const hashable = targets.filter((_, i) => !missing.has(i));
  const hexes = await hashAll(hashable, algorithm, options);
  const actual = new Map(hashable.map((t, i) => [t.name, hexes[i]]));
  const results: VerifyResult[] = listed.map((e, i) => {
    const line = e.line ?? i;
    if (missing.has(i)) return { name: e.name, status: 'missing', expected: e.hex, line };
    const got = actual.get(e.name);
    return { name: e.name, status: got === e.hex ? 'ok' : 'changed', expected: e.hex, line, ...(got ? { actual: got } : {}) };
  });
  for (const f of present) if (!listedNames.has(f.name)) results.push({ name: f.name, status: 'new' });
  return results;
}

/** Hashes files with a small pool; the results keep the input order. Reads overlap hashing. */
async function hashAll(files: readonly WalkedFile[], algorithm: Algorithm, options: ManifestRunOptions): Promise<string[]> {
  const progress: Progress = { files: 0, totalFiles: files.length, bytes: 0, totalBytes: 0 };
  if (WORKER_ALGORITHMS.has(algorithm) && files.length >= WORKERS_FROM && options.threads !== 0) {
    return hashFilesInWorkers(files.map((f) => f.path), algorithm, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.threads ? { threads: options.threads } : {}),
      onFile: (bytes) => {
        progress.files++;
        progress.bytes += bytes;
        options.onProgress?.({ ...progress });
      },
    });
  }
  const out = new Array<string>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    const buffer = Buffer.allocUnsafe(1 << 20);
    while (next < files.length) {
      if (options.signal?.aborted) throw cancelled('Hashing');
      const i = next++;
      const f = files[i];
      if (!f) continue;
      out[i] = await hashFile(f.path, algorithm, options.signal, buffer, (n) => (progress.bytes += n));
      progress.files++;
      options.onProgress?.({ ...progress });
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? 8, files.length));
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}
