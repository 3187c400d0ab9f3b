/**
 * Blob worker entry (bundled alone as dist/backup-worker.js; run through tsx in tests): seals,
 * opens and verifies blobs for the pool in workers.ts, one job at a time, in order.
 */
import { parentPort } from 'node:worker_threads';
import { isStorageError, messageOf } from '../errors';
import { openBlob, openBlobs, ownsWholeBuffer, sealBlob, verifyPack } from './blobOps';
import type { FromWorker, JobMessage, ToWorker, WireError } from './blobProtocol';
import type { MasterKey } from './crypto';
import { loadPoly1305 } from './poly1305';

const port = parentPort;
if (!port) throw new Error('backup worker: start this file with new Worker(), not directly');
const keys = new Map<number, MasterKey>();
// A pool starts a thread for megabytes of blobs at least: the wasm MAC loads now, in the
// background (the JS one serves until it is ready), not after poly1305's LOAD_AFTER bytes in JS,
// which took 0.2-0.4 s of each thread's CPU in a check of the 1 GiB bench tree.
void loadPoly1305();

/** The bytes move to the other thread without a copy when they own their whole buffer. */
function owned(b: Uint8Array): Uint8Array {
  return ownsWholeBuffer(b) ? b : b.slice();
}

function wire(e: unknown): WireError {
  return { code: isStorageError(e) ? e.code : undefined, message: messageOf(e) };
}

async function run(m: JobMessage): Promise<[FromWorker, ArrayBuffer[]]> {
  const key = keys.get(m.keyId);
  if (!key) throw new Error(`backup worker: key ${m.keyId} was never sent`);
  if (m.op === 'seal') {
    const s = await sealBlob(key, m.plain, m.compress);
    // the ciphertext moves; the IV and MAC (16 bytes each) are copied with the message
    const sealed = s.sealed.map((part, i) => (i === 1 ? owned(part) : part));
    const moved = [sealed[1]!.buffer as ArrayBuffer];
    // a lent plaintext buffer goes back to be read into again (sealBlob is done with it)
    const lent = m.lent ? (m.plain.buffer as ArrayBuffer) : undefined;
    if (lent) moved.push(lent);
    return [{ job: m.job, ok: 'seal', id: s.id, sealed, ...(s.uncompressedLength !== undefined ? { uncompressedLength: s.uncompressedLength } : {}), ...(lent ? { lent } : {}) }, moved];
  }
  if (m.op === 'open') {
    const plain = owned(await openBlob(key, m.sealed, m.shape, m.what));
    return [{ job: m.job, ok: 'open', plain }, [plain.buffer as ArrayBuffer]];
  }
  if (m.op === 'openBlobs') {
    const opened = (await openBlobs(key, m.bytes, m.blobs)).map((r) => (r instanceof Error ? wire(r) : owned(r)));
    const moved = opened.flatMap((r) => (r instanceof Uint8Array ? [r.buffer as ArrayBuffer] : []));
    return [{ job: m.job, ok: 'openBlobs', opened }, moved];
  }
  const v = await verifyPack(key, m.pack, m.packId, m.blobs);
  // the pack's buffer goes back to be read into again: left here, a 16 MiB buffer outlived its
  // job until a full collection, and two threads held 40-60 MB of them
  return [{ job: m.job, ok: 'verifyPack', hashOk: v.hashOk, failures: v.failures.map((e) => (e === undefined ? null : wire(e))), pack: m.pack }, [m.pack.buffer as ArrayBuffer]];
}

// Jobs run one after another: the pool spreads them over the threads and bounds what is queued.
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: ToWorker) => {
  if (m.op === 'key') {
    keys.set(m.keyId, { encrypt: m.encrypt, macK: m.macK, macR: m.macR });
    return;
  }
  if (m.op === 'drop') return; // garbage at once: this thread's next young collection frees them
  chain = chain.then(async () => {
    try {
      const [reply, transfer] = await run(m);
      port.postMessage(reply, transfer);
    } catch (e) {
      port.postMessage({ job: m.job, error: wire(e) } satisfies FromWorker);
    }
  });
});
// the pool may seal on its own thread until this arrives
port.postMessage({ ready: true } satisfies FromWorker);
