import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual, type Cipher } from 'node:crypto';
import { storageError } from '../errors';
import { poly1305 } from './poly1305';

/** restic's master key: AES-256 for CTR, and the Poly1305-AES pair (k encrypts the nonce, r is the polynomial key). */
export interface MasterKey {
  encrypt: Uint8Array;
  macK: Uint8Array;
  macR: Uint8Array;
}

const IV = 16;
const MAC = 16;
/** What encryption adds to every plaintext: IV before, MAC after. */
export const OVERHEAD = IV + MAC;

function checkKey(key: MasterKey): void {
  if (key.encrypt.length !== 32 || key.macK.length !== 16 || key.macR.length !== 16) throw new RangeError('restic key: expected 32 + 16 + 16 bytes');
}

/**
 * One AES-128-ECB cipher per key: ECB keeps no state between blocks, so update() on one
 * 16-byte nonce after another gives each its own AES_k(nonce) (a cipher per blob cost more than the MAC of a small blob).
 */
const nonceCiphers = new WeakMap<MasterKey, { macK: Uint8Array; ecb: Cipher }>();

function nonceCipher(key: MasterKey): Cipher {
  const had = nonceCiphers.get(key);
  // keyed on the object; the bytes are compared too in case a caller changed them in place
  if (had && had.macK.length === key.macK.length && had.macK.every((x, i) => x === key.macK[i])) return had.ecb;
  const ecb = createCipheriv('aes-128-ecb', key.macK, null).setAutoPadding(false);
  nonceCiphers.set(key, { macK: Uint8Array.from(key.macK), ecb });
  return ecb;
}

/** Poly1305-AES (Bernstein 2005): s = AES-128_k(nonce); poly1305 clamps r itself. */
function mac(key: MasterKey, nonce: Uint8Array, data: Uint8Array): Uint8Array {
  if (nonce.length !== IV) throw new RangeError('restic MAC: the nonce must be 16 bytes');
  const s = nonceCipher(key).update(nonce);
  const polyKey = new Uint8Array(32);
  polyKey.set(key.macR, 0);
  polyKey.set(s, 16);
  return poly1305(data, polyKey);
}

/**
 * seal() as its three parts, IV, ciphertext and MAC, without joining them: a pack joins every
 * blob's parts once, so joining each blob first would copy every byte one more time.
 */
export function sealParts(key: MasterKey, plaintext: Uint8Array): [Uint8Array, Uint8Array, Uint8Array] {
  checkKey(key);
  const iv = randomBytes(IV);
  const body = ctr(createCipheriv('aes-256-ctr', key.encrypt, iv), plaintext);
  return [iv, body, mac(key, iv, body)];
}

/** CTR input taken this much at a time (see ctr). */
const STEP = 64 * 1024;

/**
 * AES-256-CTR of `input`, into `out` when given (at least as long; a scratch buffer reused
 * between blobs), else into a new buffer of its own. In STEP pieces: one update() of a whole
 * large blob makes a fresh output buffer of its size, and measured here on 200 KiB-1 MiB blobs
 * that ran at 0.5-1.5 GB/s against 1.4-1.8 GB/s in pieces and 2.0-2.2 GB/s into a reused buffer.
 */
function ctr(c: { update(data: Uint8Array): Buffer }, input: Uint8Array, out?: Uint8Array): Uint8Array {
  if (input.length <= STEP && !out) return c.update(input);
  const dest = out ? out.subarray(0, input.length) : Buffer.allocUnsafeSlow(input.length);
  for (let at = 0; at < input.length; at += STEP) dest.set(c.update(input.subarray(at, at + STEP)), at);
  return dest;
}

/** IV || AES-256-CTR(plaintext) || MAC over the ciphertext, as every restic file and blob is stored. */
export function seal(key: MasterKey, plaintext: Uint8Array): Uint8Array {
  return Buffer.concat(sealParts(key, plaintext));
}

/** True when the MAC matches: the bytes are what restic (or we) wrote with this key. */
export function authentic(key: MasterKey, sealed: Uint8Array): boolean {
  checkKey(key);
  if (sealed.length < OVERHEAD) return false;
  const iv = sealed.subarray(0, IV);
  const body = sealed.subarray(IV, sealed.length - MAC);
  const tag = sealed.subarray(sealed.length - MAC);
  return timingSafeEqual(mac(key, iv, body), tag);
}

/**
 * Checks the MAC first, then decrypts; `what` names the file or blob in the error. With `scratch`
 * (at least the plaintext's length), the plaintext is a view of it, valid until its next use.
 */
export function open(key: MasterKey, sealed: Uint8Array, what: string, scratch?: Uint8Array): Uint8Array {
  if (!authentic(key, sealed)) {
    throw storageError('Integrity', `${what}: the MAC does not match, so its bytes were changed or damaged (or it belongs to another repository). Run a check with --read-data to see what it affects.`);
  }
  const d = createDecipheriv('aes-256-ctr', key.encrypt, sealed.subarray(0, IV));
  const out = ctr(d, sealed.subarray(IV, sealed.length - MAC), scratch);
  // a plain Uint8Array view of the Buffer: no copy of the plaintext
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
