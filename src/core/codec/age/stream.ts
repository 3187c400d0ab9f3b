import type { Primitives } from '../primitives';
import type { ByteReader } from '../reader';
import { fail } from './errors';

/** STREAM (age's payload): 64 KiB plaintext chunks, each sealed under a counter nonce. */
export const CHUNK = 64 * 1024;
const TAG = 16;
const SEALED_CHUNK = CHUNK + TAG;

/** 11-byte big-endian counter, then 1 on the last chunk and 0 before it. */
function nonce(counter: number, last: boolean): Uint8Array {
  const n = new Uint8Array(12);
  const v = new DataView(n.buffer);
  v.setUint32(3, Math.floor(counter / 2 ** 32));
  v.setUint32(7, counter >>> 0);
  n[11] = last ? 1 : 0;
  return n;
}

/**
 * Seals the plaintext from `input`. Memory stays at about one chunk: a full chunk is held back
 * only until the next byte shows whether it is the last one.
 */
export async function* encryptPayload(p: Primitives, key: Uint8Array, input: ByteReader): AsyncIterable<Uint8Array> {
  for (let counter = 0; ; counter++) {
    const chunk = await input.read(CHUNK);
    const last = chunk.length < CHUNK || !(await input.more());
    const sealed = p.seal(key, nonce(counter, last), chunk);
    yield sealed.ciphertext;
    yield sealed.tag;
    if (last) return;
  }
}

/**
 * Opens the payload from `input`. A chunk is released only after its tag verified, so a caller
 * never sees unauthenticated plaintext; truncation and trailing data are errors.
 */
export async function* decryptPayload(p: Primitives, key: Uint8Array, input: ByteReader): AsyncIterable<Uint8Array> {
  for (let counter = 0; ; counter++) {
    const sealed = await input.read(SEALED_CHUNK);
    const more = sealed.length === SEALED_CHUNK && (await input.more());
    if (sealed.length < TAG) {
      fail('payload', counter === 0 && sealed.length === 0 ? 'The age payload has no chunks' : 'The age payload is truncated');
    }
    const body = sealed.subarray(0, sealed.length - TAG);
    const tag = sealed.subarray(sealed.length - TAG);
    const plain = p.open(key, nonce(counter, !more), body, tag);
    if (plain === undefined) {
      if (more && p.open(key, nonce(counter, true), body, tag) !== undefined) {
        fail('payload', 'The age payload has data after its final chunk');
      }
      if (!more && p.open(key, nonce(counter, false), body, tag) !== undefined) {
        fail('payload', 'The age payload is truncated (its final chunk is missing)');
      }
      fail('payload', `The age payload failed authentication at chunk ${counter}`);
    }
    if (!more && plain.length === 0 && counter > 0) fail('payload', 'The final age chunk is empty but the payload is not');
    if (plain.length > 0) yield plain;
    if (!more) return;
  }
}
