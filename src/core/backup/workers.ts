// A small pool of worker threads for the per-blob CPU work (hash + compress + seal on backup;
// MAC + decrypt + decompress + hash on restore and check), so it runs beside the main thread,
// which walks folders, reads, deduplicates and writes packs. One pattern as the codec worker:
// a bundled entry (dist/backup-worker.js) beside the bundle that loads this module, and the
// TypeScript entry through tsx when this module itself runs as TypeScript (unit tests).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cancelled, StorageError, storageError } from '../errors';
import { openBlob, openBlobs, ownsWholeBuffer, sealBlob, verifyPack, type BlobShape, type PackVerdict, type PlacedBlob, type SealedBlob } from './blobOps';
import type { FromWorker, JobMessage, ToWorker, WireError } from './blobProtocol';
import type { MasterKey } from './crypto';

export type { BlobShape, PackVerdict, PlacedBlob, SealedBlob } from './blobOps';

export interface BlobPoolOptions {
  /** Worker threads; default os.availableParallelism(). 0 runs every job on the calling thread. */
  threads?: number;
  /** Bytes sent to the workers and not yet answered before a new job waits (default 16 MiB). */
  maxQueuedBytes?: number;
  /** A worker entry file instead of the default (dist/backup-worker.js, or blobWorker.ts under tsx). */
  workerPath?: string;
  /**
   * Seal on the calling thread until the first thread is ready, instead of waiting for it, and
   * start that thread only once INLINE_FIRST bytes were sealed here: a small backup then never
   * waits for (nor pays) a thread's start.
   */
  inlineWhileStarting?: boolean;
}

/** Whether the caller hands its buffer over (it must not use it afterwards): saves one copy. */
export interface HandOver {
  transfer?: boolean;
  /**
   * With transfer: the view's whole underlying buffer is the caller's to give (a buffer read into
   * again and again, of which the view is the start), so it moves even when the view is a part.
   */
  whole?: boolean;
}

/** A pack's verdict, and its buffer back when it was handed over (to read the next pack into). */
export type PackVerdictBack = PackVerdict & { bytes?: Uint8Array };

/** Lent read buffers come in these sizes: powers of two from 64 KiB to 1 MiB. */
const LEND_MIN = 64 * 1024;
export const LEND_MAX = 1024 * 1024;
/** Bytes of returned buffers kept for lending again; more are let go. */
const LEND_KEPT = 24 << 20;

interface Job {
  bytes: number;
  resolve: (r: FromWorker) => void;
  reject: (e: Error) => void;
}

interface Thread {
  worker: Worker;
  /** Set once its entry has loaded (its first message). */
  ready: boolean;
  jobs: Map<number, Job>;
  keys: Set<number>;
}

const DEFAULT_QUEUED = 16 << 20;
/** Smaller buffers are not worth a message (see giveBack). */
const GIVE_BACK_MIN = 4096;
/**
 * With inlineWhileStarting, the bytes sealed on the calling thread before the first thread starts:
 * a thread costs 0.2-0.3 s of CPU and about 30 MB to start, more than sealing this much here. On the
 * bench tree, a backup after 1% of the files changed (11 MB read) took 1.20-1.28 s with no thread
 * against 1.26-1.39 s with the two it started, CPU 1.44-1.58 s against 1.64-1.70 s, peak RSS
 * 119-133 MB against 152-166 MB (taking turns).
 */
const INLINE_FIRST = 16 << 20;
/** Jobs a started thread may have queued before the next thread starts. */
const QUEUED_PER_THREAD = 2;
// Under tsx: load the TypeScript entry through tsx's API, as test/support/tsWorker.mjs does.
const TSX_SOURCE = `const { workerData } = require('node:worker_threads');
import(workerData.tsxApi).then((m) => m.tsImport(workerData.tsEntry, workerData.tsEntry));`;

/**
 * A thread's V8 heap holds little (the blobs are ArrayBuffers outside it), so a small young
 * generation does: the default let garbage buffers wait for a scavenge, about 50 MB more peak RSS in a
 * 1 GiB restore (270 MB against 215 MB measured here).
 */
const LIMITS = { resourceLimits: { maxYoungGenerationSizeMb: 2 } };

function newWorker(workerPath: string | undefined): Worker {
  if (workerPath) return new Worker(resolve(workerPath), LIMITS);
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'backup-worker.js'), LIMITS);
  // the package's ESM build of its API (require.resolve would give the CommonJS one)
  const tsxDir = dirname(createRequire(__filename).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  return new Worker(TSX_SOURCE, { eval: true, workerData: { tsxApi, tsEntry: pathToFileURL(join(__dirname, 'blobWorker.ts')).href } });
}

/** Whether worker threads can start here (the bundled entry is beside the bundle, or we run as TypeScript). */
function workersAvailable(): boolean {
  return __filename.endsWith('.ts') || existsSync(join(__dirname, 'backup-worker.js'));
}

function rebuild(e: WireError): Error {
  return e.code !== undefined ? new StorageError(e.code, e.message) : new Error(e.message);
}

function ownedCopy(b: Uint8Array, transfer: boolean | undefined, whole?: boolean): Uint8Array {
  // a view's clone would copy its whole underlying buffer, so a part is copied on its own
  if (transfer && (ownsWholeBuffer(b) || (whole && b.buffer instanceof ArrayBuffer))) return b;
  return new Uint8Array(b);
}

/**
 * The pool. Threads start as jobs queue up (or on prewarm); close() ends them (and fails what is still queued).
 * A thread that dies fails its jobs and every later one with an Unavailable error.
 */
export class BlobPool {
  /** Threads the pool runs (0: jobs run on the calling thread). */
  readonly threads: number;
  private readonly maxQueued: number;
  private readonly workerPath: string | undefined;
  private readonly inlineWhileStarting: boolean;
  private readonly started: Thread[] = [];
  private readonly keyIds = new WeakMap<MasterKey, number>();
  private nextKey = 1;
  private nextJob = 1;
  private queued = 0;
  /** Bytes sealed on the calling thread while no thread was ready (see INLINE_FIRST). */
  private inlineBytes = 0;
  private readonly waiting: (() => void)[] = [];
  private failure: Error | undefined;
  private closed = false;
  /** Returned lent buffers by size, ready to lend again. */
  private readonly free = new Map<number, ArrayBuffer[]>();
  private freeBytes = 0;
  /** The buffers lent out and not yet returned, with the size lent (only a view of all of it goes back). */
  private readonly lentOut = new WeakMap<ArrayBuffer, number>();

  private constructor(o: BlobPoolOptions) {
    const wanted = o.threads ?? Math.max(1, availableParallelism());
    this.threads = o.workerPath || workersAvailable() ? Math.max(0, Math.floor(wanted)) : 0;
    this.maxQueued = o.maxQueuedBytes ?? DEFAULT_QUEUED;
    this.workerPath = o.workerPath;
    this.inlineWhileStarting = o.inlineWhileStarting ?? false;
  }

  /** Threads started so far (for tests and diagnostics). */
  get threadsStarted(): number {
    return this.started.length;
  }

  static start(o: BlobPoolOptions = {}): BlobPool {
    return new BlobPool(o);
  }

  /**
   * A buffer of `size` bytes (at most LEND_MAX) to read a blob's plaintext into and then seal()
   * with { transfer: true }: the thread that seals it sends it back, and it is lent again. Reads
   * then reuse a few buffers instead of making one per file, which the threads' collections would
   * free only late (about 70 MB of this process's peak in a 1 GiB backup). The caller must not use
   * it after that seal(); a buffer that is never sealed is simply collected.
   */
  lend(size: number): Buffer {
    if (size > LEND_MAX) throw new RangeError(`lend: ${size} bytes is more than ${LEND_MAX}`);
    let cap = LEND_MIN;
    while (cap < size) cap *= 2;
    const kept = this.free.get(cap)?.pop();
    if (kept) this.freeBytes -= cap;
    const ab = kept ?? new ArrayBuffer(cap);
    this.lentOut.set(ab, size);
    return Buffer.from(ab, 0, size);
  }

  private takeBack(ab: ArrayBuffer): void {
    const cap = ab.byteLength;
    if (this.closed || this.freeBytes + cap > LEND_KEPT) return;
    const list = this.free.get(cap) ?? [];
    list.push(ab);
    this.free.set(cap, list);
    this.freeBytes += cap;
  }

  /** Hashes, compresses where it pays (when `compress`) and seals a blob; the plaintext is copied unless handed over. */
  async seal(key: MasterKey, plain: Uint8Array, compress: boolean, o: HandOver = {}): Promise<SealedBlob> {
    // a view of all of a lent buffer (a part of one is copied: another part may still be read)
    const lent = o.transfer === true && plain.byteOffset === 0 && plain.buffer instanceof ArrayBuffer && this.lentOut.get(plain.buffer) === plain.byteLength;
    if (lent) this.lentOut.delete(plain.buffer as ArrayBuffer);
    const starting = this.inlineWhileStarting && !this.failure && !this.started.some((t) => t.ready);
    if (this.threads === 0 || starting) {
      this.inlineBytes += plain.length;
      if (starting && this.inlineBytes > INLINE_FIRST) this.prewarm(1);
      let sealed: SealedBlob;
      try {
        sealed = await this.inline(() => sealBlob(key, plain, compress));
      } finally {
        if (lent) this.takeBack(plain.buffer as ArrayBuffer);
      }
      // A backup reads small files and seals them here with synchronous calls, so without a turn
      // of the event loop a started thread's ready message waits behind them: measured on the
      // 1 GiB bench tree, a thread ready 0.2 s after its start got its first job 0.5 s later.
      if (starting && this.started.length > 0) await new Promise<void>((r) => setImmediate(r));
      return sealed;
    }
    // a lent buffer moves whole, with the view's place in it; anything else is moved only when it is its whole buffer
    const data = lent ? plain : ownedCopy(plain, o.transfer);
    const r = await this.submit(key, data.length, (job, keyId) => ({ op: 'seal', job, keyId, plain: data, compress, ...(lent ? { lent: true } : {}) }), [data.buffer as ArrayBuffer]);
    if (!('ok' in r) || r.ok !== 'seal') throw new Error('backup worker: unexpected reply');
    if (r.lent) this.takeBack(r.lent);
    return { id: r.id, sealed: r.sealed, ...(r.uncompressedLength !== undefined ? { uncompressedLength: r.uncompressedLength } : {}) };
  }

  /** MAC checked, decrypted, decompressed (when shape.uncompressedLength is set), hash checked when shape.id is set. */
  async open(key: MasterKey, sealed: Uint8Array, shape: BlobShape, what: string, o: HandOver = {}): Promise<Uint8Array> {
    if (this.threads === 0) return this.inline(() => openBlob(key, sealed, shape, what));
    const data = ownedCopy(sealed, o.transfer);
    const r = await this.submit(key, data.length, (job, keyId) => ({ op: 'open', job, keyId, sealed: data, shape, what }), [data.buffer as ArrayBuffer]);
    if (!('ok' in r) || r.ok !== 'open') throw new Error('backup worker: unexpected reply');
    return r.plain;
  }

  /**
   * Blobs that lie in `bytes` opened on one thread (openBlobs in blobOps): each one's plaintext or
   * error, in order. The bytes are copied unless handed over.
   */
  async openBlobs(key: MasterKey, bytes: Uint8Array, blobs: readonly PlacedBlob[], o: HandOver = {}): Promise<(Uint8Array | Error)[]> {
    if (this.threads === 0) return this.inline(() => openBlobs(key, bytes, blobs));
    const data = ownedCopy(bytes, o.transfer);
    const r = await this.submit(key, data.length, (job, keyId) => ({ op: 'openBlobs', job, keyId, bytes: data, blobs: [...blobs] }), [data.buffer as ArrayBuffer]);
    if (!('ok' in r) || r.ok !== 'openBlobs') throw new Error('backup worker: unexpected reply');
    return r.opened.map((x) => (x instanceof Uint8Array ? x : rebuild(x)));
  }

  /**
   * A whole pack checked on one thread (verifyPack in blobOps): its hash against its name and each
   * listed blob. The pack is copied unless handed over; handed over, its buffer comes back with
   * the verdict.
   */
  async verifyPack(key: MasterKey, pack: Uint8Array, packId: string, blobs: readonly PlacedBlob[], o: HandOver = {}): Promise<PackVerdictBack> {
    if (this.threads === 0) return { ...(await this.inline(() => verifyPack(key, pack, packId, blobs))), ...(o.transfer ? { bytes: pack } : {}) };
    const data = ownedCopy(pack, o.transfer, o.whole);
    const r = await this.submit(key, data.length, (job, keyId) => ({ op: 'verifyPack', job, keyId, pack: data, packId, blobs: [...blobs] }), [data.buffer as ArrayBuffer]);
    if (!('ok' in r) || r.ok !== 'verifyPack') throw new Error('backup worker: unexpected reply');
    return { hashOk: r.hashOk, failures: r.failures.map((e) => (e === null ? undefined : rebuild(e))), ...(o.transfer ? { bytes: r.pack } : {}) };
  }

  /**
   * Hands buffers this thread is done with (and that nothing else refers to) to a worker thread,
   * to be freed there. A sealed blob's bytes are made on a worker thread and end up here, where a
   * large young generation and a big allowance for outside memory let about 60 MB of written
   * blobs wait for a collection; a thread of this pool has a small one, and frees them within a
   * few jobs. Only whole buffers of at least GIVE_BACK_MIN bytes go; the rest stay to be collected here.
   */
  giveBack(parts: readonly Uint8Array[]): void {
    const t = this.started.find((x) => x.ready);
    if (!t || this.closed || this.failure) return;
    const buffers: ArrayBuffer[] = [];
    for (const p of parts) {
      const b = p.buffer;
      if (b instanceof ArrayBuffer && ownsWholeBuffer(p) && b.byteLength >= GIVE_BACK_MIN) buffers.push(b);
    }
    if (buffers.length === 0) return;
    try {
      t.worker.postMessage({ op: 'drop', buffers } satisfies ToWorker, buffers);
    } catch {
      // a buffer that cannot move (already sent, say): it is collected here instead
    }
  }

  /** Ends every thread; jobs not yet answered fail as Cancelled. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pool = this.started.splice(0);
    this.failAll(pool, cancelled('The blob work'));
    await Promise.all(pool.map((t) => t.worker.terminate()));
  }

  private async inline<R>(f: () => Promise<R>): Promise<R> {
    if (this.closed) throw storageError('Unavailable', 'The blob worker pool is closed.');
    return f();
  }

  /**
   * Starts up to `n` threads now (a thread costs a few hundred ms of CPU to start), so they are
   * ready when the first jobs come; otherwise threads start as jobs queue up.
   */
  prewarm(n = this.threads): void {
    if (this.closed || this.failure) return;
    while (this.started.length < Math.min(n, this.threads)) this.startThread();
  }

  /** The thread for the next job: the least busy, or a new one while every started one has work queued. */
  private pick(): Thread {
    const t = this.started.length > 0 ? this.started.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a)) : undefined;
    if (t && (t.jobs.size < QUEUED_PER_THREAD || this.started.length >= this.threads)) return t;
    return this.startThread();
  }

  private startThread(): Thread {
    const t: Thread = { worker: newWorker(this.workerPath), ready: false, jobs: new Map(), keys: new Set() };
    t.worker.on('message', (m: FromWorker) => {
      if ('ready' in m) {
        t.ready = true;
        return;
      }
      const job = t.jobs.get(m.job);
      if (!job) return;
      t.jobs.delete(m.job);
      this.release(job.bytes);
      if ('error' in m) job.reject(rebuild(m.error));
      else job.resolve(m);
    });
    const died = (why: string): void => {
      if (this.closed) return;
      this.failure ??= storageError('Unavailable', `A backup worker thread stopped (${why}); the work was not finished. Try again.`);
      this.failAll(this.started, this.failure);
    };
    t.worker.on('error', (e) => died(e.message));
    t.worker.on('exit', (code) => died(`exit code ${code}`));
    this.started.push(t);
    return t;
  }

  private failAll(pool: Thread[], e: Error): void {
    for (const t of pool) {
      for (const job of t.jobs.values()) job.reject(e);
      t.jobs.clear();
    }
    this.queued = 0;
    for (const w of this.waiting.splice(0)) w();
  }

  private release(bytes: number): void {
    this.queued -= bytes;
    while (this.waiting.length > 0 && this.queued < this.maxQueued) this.waiting.shift()!();
  }

  private async submit(key: MasterKey, bytes: number, make: (job: number, keyId: number) => JobMessage, transfer: ArrayBuffer[]): Promise<FromWorker> {
    // bounded memory: wait while the queue is full, unless it is empty (one big blob always goes)
    while (!this.closed && !this.failure && this.queued > 0 && this.queued + bytes > this.maxQueued) {
      await new Promise<void>((r) => this.waiting.push(r));
    }
    if (this.failure) throw this.failure;
    if (this.closed) throw storageError('Unavailable', 'The blob worker pool is closed.');
    const t = this.pick();
    let keyId = this.keyIds.get(key);
    if (keyId === undefined) this.keyIds.set(key, (keyId = this.nextKey++));
    if (!t.keys.has(keyId)) {
      t.keys.add(keyId);
      t.worker.postMessage({ op: 'key', keyId, encrypt: key.encrypt, macK: key.macK, macR: key.macR });
    }
    const job = this.nextJob++;
    this.queued += bytes;
    const msg = make(job, keyId);
    return new Promise<FromWorker>((resolve, reject) => {
      t.jobs.set(job, { bytes, resolve, reject });
      try {
        t.worker.postMessage(msg, transfer);
      } catch (e) {
        // a buffer that cannot be sent (detached, say): this job fails, the pool goes on
        t.jobs.delete(job);
        this.release(bytes);
        reject(e as Error);
      }
    });
  }
}
