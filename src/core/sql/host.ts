import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { StorageError, cancelled, storageError } from '../errors';
import { checkHeader } from './header';
import type { Op, Ops, Request, Response } from './protocol';
import type { DbStats } from './schemaTypes';

export interface SessionOptions {
  /** dist/sql-worker.js in the extension; the .ts file under tsx in tests. */
  workerPath: string;
  wasmPath: string;
  /** Extra data for the worker (tests pass the TypeScript entry to a tsx bootstrap). */
  workerData?: Record<string, unknown>;
  /** Reads the database's last saved bytes; called at open and again after a cancel or discard. */
  load?: () => Promise<Uint8Array>;
  /** A local file the worker reads itself (faster, and the main thread never holds the bytes). */
  path?: string;
  /** Shown in messages (file name or URI). */
  name: string;
}

function newWorker(opts: Pick<SessionOptions, 'workerPath' | 'wasmPath' | 'workerData'>): Worker {
  return new Worker(resolve(opts.workerPath), { workerData: { ...opts.workerData, wasmPath: opts.wasmPath } });
}

const spareKey = (o: Pick<SessionOptions, 'workerPath' | 'wasmPath'>): string => `${resolve(o.workerPath)}\n${o.wasmPath}`;
let spare: { key: string; worker: Worker; ready: Promise<void> } | undefined;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * The main side of one open database. The Database lives in a worker thread: a query that runs
 * forever blocks only that thread, and cancel() ends it and reloads the last saved bytes.
 * The main side keeps no copy of the file, so memory stays near one file size.
 */
export class SqlSession {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dirtyFlag = false;
  private statsValue: DbStats | undefined;
  /** Bumped when the worker is replaced; grids use it to know their cursors are gone. */
  generation = 0;
  /** Set by the VS Code side to refresh views when dirtiness changes. */
  onDirtyChange: ((dirty: boolean) => void) | undefined;

  private constructor(private readonly opts: SessionOptions) {}

  static async open(opts: SessionOptions): Promise<SqlSession> {
    const s = new SqlSession(opts);
    try {
      await s.start();
    } catch (e) {
      // A file the engine refused must not leave its worker running.
      await s.close();
      throw e;
    }
    return s;
  }

  get dirty(): boolean {
    return this.dirtyFlag;
  }
  get stats(): DbStats | undefined {
    return this.statsValue;
  }
  get busy(): boolean {
    return this.pending.size > 0;
  }
  get name(): string {
    return this.opts.name;
  }

  /**
   * Starts a spare worker that compiles the engine now (e.g. when the SQL view is shown), so the
   * next open skips worker start-up and wasm compilation. Resolves when it is ready.
   */
  static prewarm(opts: Pick<SessionOptions, 'workerPath' | 'wasmPath' | 'workerData'>): Promise<void> {
    const key = spareKey(opts);
    if (spare?.key === key) return spare.ready;
    SqlSession.dropSpare();
    const worker = newWorker(opts);
    worker.unref();
    const ready = new Promise<void>((ok, fail) => {
      worker.once('message', () => ok());
      worker.once('error', fail);
      worker.postMessage({ id: 0, op: 'ping', args: {} } satisfies Request<'ping'>);
    });
    ready.catch(() => SqlSession.dropSpare());
    spare = { key, worker, ready };
    return ready;
  }

  /** Ends the spare worker, if any. */
  static dropSpare(): void {
    const s = spare;
    spare = undefined;
    if (s) void s.worker.terminate();
  }

  private async start(): Promise<void> {
    // A warm spare if there is one; else a new worker starts (and compiles the wasm) while the file is read.
    let worker: Worker;
    if (spare?.key === spareKey(this.opts)) {
      const s = spare;
      spare = undefined;
      worker = s.worker;
      // Only our own listeners: the Worker keeps internal ones that ref its port.
      await s.ready;
      worker.removeAllListeners('error');
      worker.ref();
    } else {
      worker = newWorker(this.opts);
    }
    worker.on('message', (r: Response) => this.settle(r));
    worker.on('error', (e) => this.failAll(storageError('Unavailable', `The SQL engine stopped: ${e.message}. Reopen the database.`, e)));
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.failAll(storageError('Unavailable', 'The SQL engine stopped. Reopen the database.'));
      }
    });
    this.worker = worker;
    this.generation++;
    this.setDirty(false);
    if (this.opts.path !== undefined) {
      this.statsValue = await this.send('open', { path: this.opts.path, name: this.opts.name });
      return;
    }
    if (!this.opts.load) throw new TypeError('SqlSession: options need path or load');
    const bytes = await this.opts.load();
    checkHeader(bytes, this.opts.name);
    // The bytes move to the worker without a copy.
    const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    this.statsValue = await this.send('open', { bytes: owned, name: this.opts.name }, [owned.buffer as ArrayBuffer]);
  }

  private settle(r: Response): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    this.setDirty(r.dirty);
    if (r.ok) p.resolve(r.result);
    else {
      const e = new StorageError((r.error.code as StorageError['code']) ?? 'BadInput', r.error.message);
      if (r.error.detail !== undefined) Object.assign(e, { detail: r.error.detail });
      p.reject(e);
    }
  }

  private setDirty(d: boolean): void {
    if (d === this.dirtyFlag) return;
    this.dirtyFlag = d;
    this.onDirtyChange?.(d);
  }

  private failAll(e: unknown): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }

  private send<K extends Op>(op: K, args: Ops[K]['args'], transfer: ArrayBuffer[] = []): Promise<Ops[K]['result']> {
    const worker = this.worker;
    if (!worker) return Promise.reject(storageError('Unavailable', `${this.opts.name} is closed. Open it again.`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const req: Request<K> = { id, op, args };
      worker.postMessage(req, transfer);
    });
  }

  /** Sends one typed request to the worker. */
  call<K extends Exclude<Op, 'open'>>(op: K, args: Ops[K]['args']): Promise<Ops[K]['result']> {
    return this.send(op, args);
  }

  /**
   * Ends whatever runs (the worker is terminated) and reloads the last saved bytes.
   * Returns whether unsaved changes were lost, so the caller can say so.
   */
  async cancel(): Promise<{ lostChanges: boolean }> {
    const lostChanges = this.dirtyFlag;
    await this.stop(cancelled('The query'));
    await this.start();
    return { lostChanges };
  }

  /** Reloads the last saved state, dropping unsaved changes. */
  async discard(): Promise<void> {
    await this.stop(cancelled('The pending request'));
    await this.start();
  }

  /** The database file as it is now, for saving; call markSaved() once it is written. */
  exportBytes(): Promise<Uint8Array> {
    return this.call('export', {});
  }

  async markSaved(): Promise<void> {
    await this.call('markSaved', {});
    this.statsValue = await this.call('stats', {});
  }

  async refreshStats(): Promise<DbStats> {
    this.statsValue = await this.call('stats', {});
    return this.statsValue;
  }

  /** Frees the worker and its memory. */
  async close(): Promise<void> {
    await this.stop(storageError('Unavailable', `${this.opts.name} was closed.`));
  }

  private async stop(reason: unknown): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(reason);
    if (w) await w.terminate();
  }
}
