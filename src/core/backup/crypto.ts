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
  const body = createCipheriv('aes-256-ctr', key.encrypt, iv).update(plaintext);
  return [iv, body, mac(key, iv, body)];
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

/** Checks the MAC first, then decrypts; `what` names the file or blob in the error. */
export function open(key: MasterKey, sealed: Uint8Array, what: string): Uint8Array {
  if (!authentic(key, sealed)) {
    throw storageError('Integrity', `${what}: the MAC does not match, so its bytes were changed or damaged (or it belongs to another repository). Run a check with --read-data to see what it affects.`);
  }
  const d = createDecipheriv('aes-256-ctr', key.encrypt, sealed.subarray(0, IV));
  // a plain Uint8Array view of update()'s Buffer: no copy of the plaintext
  const out = d.update(sealed.subarray(IV, sealed.length - MAC));
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
