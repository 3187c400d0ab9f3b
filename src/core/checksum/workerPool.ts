import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { cancelled } from '../errors';
import { mapFsError } from '../local/fsErrors';

/** Algorithms a worker can run with node:crypto alone (the wasm ones stay on the main thread). */
export const WORKER_ALGORITHMS = new Set(['sha256', 'sha1', 'md5']);

// Plain JS evaluated in each worker, so the pool needs no separate file in any bundle.
// Blocking reads are fine there: each worker is its own thread, hashing on its own core.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const buf = Buffer.allocUnsafe(1 << 20);
parentPort.on('message', ({ id, path, algorithm }) => {
  let fd;
  try {
    const h = createHash(algorithm);
    fd = openSync(path, 'r');
    let bytes = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      bytes += n;
    }
    parentPort.postMessage({ id, hex: h.digest('hex'), bytes });
  } catch (e) {
    parentPort.postMessage({ id, error: { code: e && e.code, message: String(e && e.message) } });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
});`;

interface Reply {
  id: number;
  hex?: string;
  bytes?: number;
  error?: { code?: string; message: string };
}

/**
 * Hashes many files on worker threads, one per core, each keeping two files in flight.
 * Results come back in the input order.
 */
export async function hashFilesInWorkers(
  paths: readonly string[],
  algorithm: string,
  options: { signal?: AbortSignal; onFile?: (bytes: number) => void; threads?: number } = {},
): Promise<string[]> {
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), paths.length));
  const out = new Array<string>(paths.length);
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, { eval: true }));
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            const send = (): void => {
              while (inFlight < 2 && next < paths.length) {
                if (options.signal?.aborted) return reject(cancelled('Hashing'));
                const id = next++;
                inFlight++;
                w.postMessage({ id, path: paths[id], algorithm });
              }
              if (inFlight === 0) resolve();
            };
            w.on('message', (r: Reply) => {
              inFlight--;
              if (r.error) {
                const path = paths[r.id] ?? '';
                return reject(mapFsError(Object.assign(new Error(r.error.message), { code: r.error.code }), path));
              }
              out[r.id] = r.hex ?? '';
              options.onFile?.(r.bytes ?? 0);
              send();
            });
            w.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
