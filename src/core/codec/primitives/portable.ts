import * as fflate from 'fflate';
import { abytes, aint } from './check';
import { wasmScrypt } from './scrypt';
import type { Primitives, Sealed, X25519Secret } from './types';

// The noble packages are ES modules; Node 20.19+ and esbuild both load them through require(),
// and these type-only imports keep the CommonJS type check honest.
type Chacha = typeof import('@noble/ciphers/chacha.js', { with: { 'resolution-mode': 'import' } });
type Curves = typeof import('@noble/curves/ed25519.js', { with: { 'resolution-mode': 'import' } });
type Hkdf = typeof import('@noble/hashes/hkdf.js', { with: { 'resolution-mode': 'import' } });
type Hmac = typeof import('@noble/hashes/hmac.js', { with: { 'resolution-mode': 'import' } });
type Sha2 = typeof import('@noble/hashes/sha2.js', { with: { 'resolution-mode': 'import' } });
const { chacha20poly1305 } = require('@noble/ciphers/chacha.js') as Chacha;
const { x25519 } = require('@noble/curves/ed25519.js') as Curves;
const { hkdf: nobleHkdf } = require('@noble/hashes/hkdf.js') as Hkdf;
const { hmac: nobleHmac } = require('@noble/hashes/hmac.js') as Hmac;
const { sha256 } = require('@noble/hashes/sha2.js') as Sha2;
// The single-algorithm build of hash-wasm, for the same reason as in scrypt.ts.
const { createCRC32 } = require('hash-wasm/dist/crc32.umd.min.js') as Pick<typeof import('hash-wasm'), 'createCRC32'>;

const utf8 = new TextEncoder();

function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Sealed {
  abytes('key', key, 32);
  abytes('nonce', nonce, 12);
  const out = chacha20poly1305(key, nonce).encrypt(plaintext);
  return { ciphertext: out.subarray(0, out.length - 16), tag: out.subarray(out.length - 16) };
}

function open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array | undefined {
  abytes('key', key, 32);
  abytes('nonce', nonce, 12);
  abytes('tag', tag, 16);
  const sealed = new Uint8Array(ciphertext.length + 16);
  sealed.set(ciphertext);
  sealed.set(tag, ciphertext.length);
  try {
    return chacha20poly1305(key, nonce).decrypt(sealed);
  } catch {
    return undefined;
  }
}

function scalarMult(scalar: Uint8Array, point: Uint8Array): Uint8Array {
  abytes('scalar', scalar, 32);
  abytes('point', point, 32);
  try {
    return x25519.getSharedSecret(scalar, point);
  } catch {
    // noble refuses low-order points; report them as the all-zero secret they produce.
    return new Uint8Array(32);
  }
}

function scalarMultBase(scalar: Uint8Array): Uint8Array {
  abytes('scalar', scalar, 32);
  return x25519.getPublicKey(scalar);
}

function prepare(scalar: Uint8Array): X25519Secret {
  abytes('scalar', scalar, 32);
  return { publicKey: x25519.getPublicKey(scalar), agree: (point) => scalarMult(scalar, point) };
}

function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string, length: number): Uint8Array {
  return nobleHkdf(sha256, ikm, salt, utf8.encode(info), length);
}

function hmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  return nobleHmac(sha256, key, data);
}

/** Adapts fflate's push/callback streams to async iteration. */
async function* run(
  input: AsyncIterable<Uint8Array>,
  make: (ondata: (chunk: Uint8Array, final: boolean) => void) => { push(chunk: Uint8Array, final?: boolean): void },
): AsyncIterable<Uint8Array> {
  let out: Uint8Array[] = [];
  const stream = make((chunk) => {
    if (chunk.length > 0) out.push(chunk);
  });
  for await (const chunk of input) {
    stream.push(chunk, false);
    if (out.length > 0) {
      yield* out;
      out = [];
    }
  }
  stream.push(new Uint8Array(0), true);
  yield* out;
}

function gzip(input: AsyncIterable<Uint8Array>, level: number): AsyncIterable<Uint8Array> {
  aint('level', level, 1, 9);
  return run(input, (ondata) => new fflate.Gzip({ level: level as fflate.DeflateOptions['level'] }, ondata));
}

/** Input kept behind the current chunk, so a member's trailer can be found after a long header. */
const KEEP = 64 * 1024 + 8;

/**
 * fflate's streaming Gunzip checks neither the CRC-32 nor the length in a member's trailer, so
 * damage or truncation could pass unnoticed; this checks every member's trailer against its output.
 */
async function* gunzip(input: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const crc = await createCRC32();
  let size = 0;
  let seen = 0;
  // The last input bytes: up to KEEP before the current chunk, then the chunk; window[0] is at windowStart.
  let window: Uint8Array = new Uint8Array(0);
  let windowStart = 0;
  /** Verifies the member whose 8-byte trailer ends at input offset `end`. */
  const check = (end: number): void => {
    const trailer = window.subarray(end - 8 - windowStart, end - windowStart);
    const ok = end - 8 >= windowStart && trailer.length === 8;
    const v = new DataView(trailer.buffer, trailer.byteOffset, trailer.byteLength);
    const sum = new DataView(crc.digest('binary').buffer).getUint32(0, false);
    if (!ok || v.getUint32(0, true) !== sum || v.getUint32(4, true) !== size % 2 ** 32) {
      throw new Error('unexpected end of file or damaged data: a gzip trailer does not match its data');
    }
  };
  async function* tracked(): AsyncIterable<Uint8Array> {
    for await (const chunk of input) {
      const keep = window.subarray(Math.max(0, window.length - KEEP));
      const next = new Uint8Array(keep.length + chunk.length);
      next.set(keep);
      next.set(chunk, keep.length);
      windowStart = seen - keep.length;
      window = next;
      seen += chunk.length;
      yield chunk;
    }
  }
  yield* run(tracked(), (ondata) => {
    // Hashed in the callback: fflate reports a new member before the caller sees earlier output.
    const g = new fflate.Gunzip((chunk, final) => {
      crc.update(chunk);
      size += chunk.length;
      ondata(chunk, final);
    });
    g.onmember = (offset) => {
      check(offset);
      crc.init();
      size = 0;
    };
    return g;
  });
  check(seen);
}

/** Pure JavaScript (noble, fflate): runs wherever there is no node:crypto. */
export const portablePrimitives: Primitives = {
  name: 'portable',
  seal,
  open,
  scalarMult,
  scalarMultBase,
  x25519: prepare,
  hkdf,
  hmac,
  scrypt: wasmScrypt,
  gzip,
  gunzip,
};
