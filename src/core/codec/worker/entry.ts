/**
 * Codec worker entry (bundled alone as dist/codec-worker.js): one decode per worker, so a long
 * one (a big file, a costly header, scrypt) never holds the caller's thread, and cancel is terminate().
 */
import { parentPort } from 'node:worker_threads';
import { isStorageError, messageOf } from '../../errors';
import { AgeError } from '../age/errors';
import { decode } from '../pipeline';
import { primitives } from '../primitives';
import type { DecodeRequest, FromWorker, ToWorker, WireError } from './protocol';

const port = parentPort;
if (!port) throw new Error('codec worker: start this file with new Worker(), not directly');
const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

let answer: ((value: string | undefined) => void) | undefined;

function wire(e: unknown): WireError {
  return {
    code: isStorageError(e) ? e.code : undefined,
    message: messageOf(e),
    ...(e instanceof AgeError ? { failure: e.failure } : {}),
  };
}

async function run(req: DecodeRequest): Promise<void> {
  const passphrase = req.canAsk
    ? () =>
        new Promise<string | undefined>((resolve) => {
          answer = resolve;
          post({ type: 'ask' });
        })
    : undefined;
  try {
    const { plaintext, ...info } = await decode(req.bytes, {
      identities: req.identities,
      maxScryptLogN: req.maxScryptLogN,
      maxOutputBytes: req.maxOutputBytes,
      passphrase,
      backend: req.backend === undefined ? undefined : primitives(req.backend),
    });
    // The plaintext moves to the caller without a copy when it owns its whole buffer.
    const owned = plaintext.byteOffset === 0 && plaintext.byteLength === plaintext.buffer.byteLength ? plaintext : plaintext.slice();
    post({ type: 'done', info, plaintext: owned }, [owned.buffer as ArrayBuffer]);
  } catch (e) {
    post({ type: 'error', error: wire(e) });
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'decode') void run(m);
  else if (m.type === 'passphrase') {
    const a = answer;
    answer = undefined;
    a?.(m.value);
  }
});
