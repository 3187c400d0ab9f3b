import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { StorageError, cancelled, messageOf, storageError } from '../errors';
import { saveCopy, saveOver } from './diskSave';
import type { DiskState } from './diskState';
import { EditLog, WRITE_OPS } from './editLog';
import { checkHeader } from './header';
import type { Op, Opened, Ops, Request, Response } from './protocol';
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

/** What a cancel did to the unsaved edits. */
export interface CancelOutcome {
  /** Edits that were run again on the reloaded database. */
  replayed: number;
  /** True when unsaved edits could not be restored; `reason` says why. */
  lostChanges: boolean;
  reason?: string;
}

function newWorker(opts: Pick<SessionOptions, 'workerPath' | 'wasmPath' | 'workerData'>): Worker {
  return new Worker(resolve(opts.workerPath), { workerData: { ...opts.workerData, wasmPath: opts.wasmPath } });
}

const spareKey = (o: Pick<SessionOptions, 'workerPath' | 'wasmPath'>): string => `${resolve(o.workerPath)}\n${o.wasmPath}`;
let spare: { key: string; worker: Worker; ready: Promise<void> } | undefined;

interface Pending {
  op: Op;
  args: unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * The main side of one open database. The Database lives in a worker thread: a query that runs
 * forever blocks only that thread, and cancel() ends it, reloads the last saved bytes and runs
 * the unsaved edits again. The main side keeps no copy of the file, so memory stays near one file size.
 */
export class SqlSession {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dirtyFlag = false;
  private readonly edits = new EditLog();
  /** The file as read (local files only): a save must find it unchanged. */
  private disk: DiskState | undefined;
  /** What the last load gave (content hash), to know whether edits can be replayed over it. */
  private base: string | undefined;
  private readOnly: string | undefined;
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

  /** Why this database must not be saved over (e.g. a hot journal was beside it), if so. */
  get readOnlyReason(): string | undefined {
    return this.readOnly;
  }

  /** The state of the file as last read or saved; undefined for a database not read from a local path. */
  get diskState(): DiskState | undefined {
    return this.disk;
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

  /** The spare worker's thread id, if one is warm (for tests and diagnostics). */
  static spareThreadId(): number | undefined {
    return spare?.worker.threadId;
  }

  /** The thread this session's engine runs on (for tests and diagnostics). */
  get threadId(): number | undefined {
    return this.worker?.threadId;
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
    this.setDirty(false);
    let opened: Opened;
    if (this.opts.path !== undefined) {
      opened = await this.send('open', { path: this.opts.path, name: this.opts.name });
    } else {
      if (!this.opts.load) throw new TypeError('SqlSession: options need path or load');
      const bytes = await this.opts.load();
      checkHeader(bytes, this.opts.name);
      this.base = createHash('sha256').update(bytes).digest('hex');
      // The bytes move to the worker without a copy.
      const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      opened = await this.send('open', { bytes: owned, name: this.opts.name }, [owned.buffer as ArrayBuffer]);
    }
    this.disk = opened.disk;
    if (opened.disk) this.base = `${opened.disk.sha256}:${opened.disk.walFrames}`;
    this.readOnly = opened.readOnlyReason;
  }

  private settle(r: Response): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    this.setDirty(r.dirty);
    if (r.wrote && WRITE_OPS.has(p.op)) this.edits.add({ op: p.op, args: p.args as never, failed: !r.ok });
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
      this.pending.set(id, { op, args, resolve: resolve as (v: unknown) => void, reject });
      const req: Request<K> = { id, op, args };
      worker.postMessage(req, transfer);
    });
  }

  /** Sends one typed request to the worker. */
  call<K extends Exclude<Op, 'open'>>(op: K, args: Ops[K]['args']): Promise<Ops[K]['result']> {
    return this.send(op, args);
  }

  /**
   * Ends whatever runs (the worker is terminated), reloads the last saved bytes and runs the
   * unsaved edits again, so they survive. Says when they could not be restored, and why.
   */
  async cancel(): Promise<CancelOutcome> {
    const wasDirty = this.dirtyFlag;
    const base = this.base;
    const edits = [...this.edits.all()];
    await this.stop(cancelled('The query'));
    await this.start();
    this.edits.clear();
    if (!wasDirty) return { replayed: 0, lostChanges: false };
    if (edits.length === 0) return { replayed: 0, lostChanges: true, reason: 'the unsaved changes were not recorded, so they could not be run again.' };
    if (this.base !== base) {
      return { replayed: 0, lostChanges: true, reason: `${this.opts.name} was changed by another program since it was opened, so the unsaved edits could not be run again on it.` };
    }
    let replayed = 0;
    for (const e of edits) {
      let failed = false;
      try {
        await this.send(e.op, e.args);
      } catch (err) {
        failed = true;
        if (!e.failed) return { replayed, lostChanges: true, reason: `Edit ${replayed + 1} of ${edits.length} failed when run again (${messageOf(err)}).` };
      }
      if (failed !== e.failed) return { replayed, lostChanges: true, reason: `Edit ${replayed + 1} of ${edits.length} did not fail again as it had before.` };
      replayed++;
    }
    return { replayed, lostChanges: false };
  }

  /** Reloads the last saved state, dropping unsaved changes. */
  async discard(): Promise<void> {
    await this.stop(cancelled('The pending request'));
    this.edits.clear();
    await this.start();
  }

  /** The database file as it is now, for saving; call markSaved() once it is written. */
  async exportBytes(): Promise<Uint8Array> {
    const bytes = await this.call('export', {});
    this.edits.markExported();
    return bytes;
  }

  async markSaved(): Promise<void> {
    await this.call('markSaved', {});
    this.edits.markSaved();
  }

  /**
   * Saves onto the file it was read from (local paths only), only if that file is still as it
   * was read; else a Conflict (see saveConflict.ts) and nothing is written. No change, no write.
   */
  async save(): Promise<{ written: boolean; bytes: number }> {
    const disk = this.disk;
    if (!disk) throw new TypeError('SqlSession.save: only a database opened from a path saves itself; export the bytes instead');
    if (this.readOnly !== undefined) throw storageError('Conflict', `${this.opts.name} was not saved: ${this.readOnly}`);
    if (!this.dirtyFlag) return { written: false, bytes: 0 };
    const bytes = await this.exportBytes();
    this.disk = await saveOver(disk, bytes, this.opts.name);
    this.base = `${this.disk.sha256}:0`;
    await this.markSaved();
    return { written: true, bytes: bytes.length };
  }

  /** Writes the database as it is now to a new file; this session stays bound to its own file. */
  async saveCopy(dest: string): Promise<void> {
    const bytes = await this.call('export', {});
    await saveCopy(dest, bytes, this.disk?.walMode ?? false);
  }

  async refreshStats(): Promise<DbStats> {
    return this.call('stats', {});
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
