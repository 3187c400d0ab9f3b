/**
 * Worker-thread entry (bundled alone as dist/sql-worker.js): it owns the Database, so a long
 * query blocks only this thread, and the main side can end it with terminate().
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isStorageError, messageOf } from '../errors';
import { type DiskImage, readDiskImage } from './diskImage';
import { Engine } from './engine';
import { loadSqlJs } from './loader';
import { warmUp } from './warmup';
import type { Request, Response, WireError } from './protocol';

const port = parentPort;
if (!port) throw new Error('sql worker: start this file with new Worker(), not directly');
const { wasmPath } = workerData as { wasmPath: string };
let engineReady = false;
const ready = loadSqlJs(wasmPath).then((SQL) => {
  engineReady = true;
  return new Engine(SQL);
});

/**
 * Only a spare worker (its first request is the prewarm ping) warms up: it has time to spare.
 * A worker started for an open would spend longer on the warm-up than the open saves.
 */
let warmed = false;
function warmOnce(engine: Engine): void {
  if (warmed) return;
  warmed = true;
  try {
    warmUp(engine.SQL);
  } catch {
    // Only a speed-up: a failure here changes nothing for real databases.
  }
}

/**
 * While the wasm still compiles (on V8's background threads), a cold open reads its file at the
 * same time. A failed read leaves the image undefined: the engine then reads the file itself
 * and reports why it failed.
 */
function readAhead(req: Request): Promise<DiskImage | undefined> | undefined {
  if (engineReady || req.op !== 'open') return undefined;
  const args = req.args as Request<'open'>['args'];
  if (args.bytes || args.path === undefined) return undefined;
  const path = args.path;
  return new Promise((resolve) => setImmediate(() => {
    try {
      resolve(readDiskImage(path, args.name));
    } catch {
      resolve(undefined);
    }
  }));
}

/** A failure to read the counters is no reason to lose the answer: count it as a write. */
function markOf(engine: Engine | undefined): string | undefined {
  try {
    return engine?.mark();
  } catch {
    return 'unknown';
  }
}

function wireError(e: unknown): WireError {
  const out: WireError = { message: messageOf(e) };
  if (isStorageError(e)) out.code = e.code;
  const detail = (e as { detail?: unknown }).detail;
  if (detail !== undefined) out.detail = detail;
  return out;
}

// Requests arrive in order and run one at a time; the engine is synchronous.
let queue: Promise<void> = Promise.resolve();
port.on('message', (req: Request) => {
  const early = readAhead(req);
  queue = queue.then(async () => {
    let engine: Engine | undefined;
    let response: Response;
    let before: string | undefined;
    try {
      engine = await ready;
      before = req.op === 'open' ? undefined : markOf(engine);
      if (req.op === 'ping') warmOnce(engine);
      const image = early && (await early);
      if (image) (req.args as Request<'open'>['args']).image = image;
      const handler = engine.handlers[req.op] as (args: unknown) => unknown;
      const result = handler(req.args);
      response = { id: req.id, ok: true, result, dirty: engine.dirty };
    } catch (e) {
      let dirty = false;
      try {
        dirty = engine?.dirty ?? false;
      } catch {
        // No database open: not dirty.
      }
      response = { id: req.id, ok: false, error: wireError(engine ? engine.explain(e) : e), dirty };
    }
    if (before !== undefined && markOf(engine) !== before) response.wrote = true;
    // Hand over an exported file without a copy, but only a buffer that holds nothing else.
    const r = response.ok ? response.result : undefined;
    const transfer = r instanceof Uint8Array && r.byteOffset === 0 && r.byteLength === r.buffer.byteLength ? [r.buffer as ArrayBuffer] : [];
    port.postMessage(response, transfer);
  });
});
