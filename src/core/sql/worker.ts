/**
 * Worker-thread entry (bundled alone as dist/sql-worker.js): it owns the Database, so a long
 * query blocks only this thread, and the main side can end it with terminate().
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isStorageError, messageOf } from '../errors';
import { Engine } from './engine';
import { loadSqlJs } from './loader';
import { warmUp } from './warmup';
import type { Request, Response, WireError } from './protocol';

const port = parentPort;
if (!port) throw new Error('sql worker: start this file with new Worker(), not directly');
const { wasmPath } = workerData as { wasmPath: string };
const ready = loadSqlJs(wasmPath).then((SQL) => {
  try {
    warmUp(SQL);
  } catch {
    // Only a speed-up: a failure here changes nothing for real databases.
  }
  return new Engine(SQL);
});

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
  queue = queue.then(async () => {
    let engine: Engine | undefined;
    let response: Response;
    try {
      engine = await ready;
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
      response = { id: req.id, ok: false, error: wireError(e), dirty };
    }
    // Hand over an exported file without a copy, but only a buffer that holds nothing else.
    const r = response.ok ? response.result : undefined;
    const transfer = r instanceof Uint8Array && r.byteOffset === 0 && r.byteLength === r.buffer.byteLength ? [r.buffer as ArrayBuffer] : [];
    port.postMessage(response, transfer);
  });
});
