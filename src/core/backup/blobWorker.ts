/**
 * Blob worker entry (bundled alone as dist/backup-worker.js; run through tsx in tests): seals,
 * opens and verifies blobs for the pool in workers.ts, one job at a time, in order.
 */
import { parentPort } from 'node:worker_threads';
import { isStorageError, messageOf } from '../errors';
import { openBlob, ownsWholeBuffer, sealBlob, verifyBlob } from './blobOps';
import type { FromWorker, JobMessage, ToWorker } from './blobProtocol';
import type { MasterKey } from './crypto';

const port = parentPort;
if (!port) throw new Error('backup worker: start this file with new Worker(), not directly');
const keys = new Map<number, MasterKey>();

/** The bytes move to the other thread without a copy when they own their whole buffer. */
function owned(b: Uint8Array): Uint8Array {
  return ownsWholeBuffer(b) ? b : b.slice();
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
  await verifyBlob(key, m.sealed, m.shape, m.what);
  return [{ job: m.job, ok: 'verify' }, []];
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
      port.postMessage({ job: m.job, error: { code: isStorageError(e) ? e.code : undefined, message: messageOf(e) } } satisfies FromWorker);
    }
  });
});
// the pool may seal on its own thread until this arrives
port.postMessage({ ready: true } satisfies FromWorker);
