import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { cancelled, StorageError, storageError } from '../../errors';
import { AgeError } from '../age/errors';
import type { DecodeOptions, DecodeResult } from '../api';
import { detectLayers } from '../pipeline';
import type { BackendName } from '../primitives';
import type { FromWorker, ToWorker, WireError } from './protocol';

export interface OffThreadOptions extends DecodeOptions {
  /** dist/codec-worker.js in the extension; test/support/tsWorker.mjs with workerData.tsEntry under tsx. */
  workerPath: string;
  workerData?: Record<string, unknown>;
  /** Ends the decode (the worker is terminated) with a Cancelled error. */
  signal?: AbortSignal;
  backend?: BackendName;
}

/** Inputs at least this large decode off the caller's thread even without an age layer. */
export const OFF_THREAD_BYTES = 4 << 20;

/**
 * Whether a decode may take long enough to belong off the caller's thread: any age layer (its
 * header and key work are bounded, but not tiny) or a large input.
 */
export function decodesLong(bytes: Uint8Array): boolean {
  return bytes.length >= OFF_THREAD_BYTES || detectLayers(bytes).some((l) => l.kind === 'age');
}

/** The worker's error as the caller would have seen it from decode(): same class, code and message. */
function rebuild(e: WireError): Error {
  let err: Error;
  if (e.failure !== undefined) err = new AgeError(e.failure, '', e.code);
  else if (e.code !== undefined) err = new StorageError(e.code, e.message);
  else err = new Error(e.message);
  err.message = e.message;
  return err;
}

/**
 * decode() in a worker thread: the caller's thread (the extension host) stays responsive while
 * a hostile header, a big file or scrypt costs seconds. The passphrase question is asked on the
 * caller's side through opts.passphrase, as with decode(). The bytes are copied to the worker;
 * the plaintext comes back without a copy.
 */
export function decodeOffThread(bytes: Uint8Array, opts: OffThreadOptions): Promise<DecodeResult> {
  if (opts.signal?.aborted) return Promise.reject(cancelled('Decoding'));
  const worker = new Worker(resolve(opts.workerPath), { workerData: opts.workerData });
  const send = (m: ToWorker): void => worker.postMessage(m);
  return new Promise<DecodeResult>((ok, fail) => {
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      f();
    };
    const onAbort = (): void => finish(() => fail(cancelled('Decoding')));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ask') {
        const ask = opts.passphrase ?? (async () => undefined);
        ask().then(
          (value) => send({ type: 'passphrase', value }),
          () => send({ type: 'passphrase', value: undefined }),
        );
      } else if (m.type === 'done') finish(() => ok({ ...m.info, plaintext: m.plaintext }));
      else finish(() => fail(rebuild(m.error)));
    });
    worker.on('error', (e) => finish(() => fail(storageError('Unavailable', `The decoder stopped: ${e.message}. Try again.`, e))));
    worker.on('exit', () => finish(() => fail(storageError('Unavailable', 'The decoder stopped before it finished. Try again.'))));
    send({
      type: 'decode',
      bytes,
      identities: [...opts.identities],
      maxScryptLogN: opts.maxScryptLogN,
      maxOutputBytes: opts.maxOutputBytes,
      canAsk: opts.passphrase !== undefined,
      backend: opts.backend,
    });
  });
}
