import * as crypto from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { coalesce } from '../reader';
import { abytes, aint } from './check';
import { checkScryptInput, SCRYPT_R, scryptMemory } from './scrypt';
import type { Primitives, Sealed, X25519Secret } from './types';

// The DER prefix that wraps a raw 32-byte X25519 private key, so node:crypto can import it.
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');

function privateKey(scalar: Uint8Array): crypto.KeyObject {
  abytes('scalar', scalar, 32);
  return crypto.createPrivateKey({ key: Buffer.concat([PKCS8_X25519, scalar]), format: 'der', type: 'pkcs8' });
}

function view(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Sealed {
  abytes('key', key, 32);
  abytes('nonce', nonce, 12);
  const c = crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  const ciphertext = c.update(plaintext);
  c.final();
  return { ciphertext: view(ciphertext), tag: view(c.getAuthTag()) };
}

function open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array | undefined {
  abytes('key', key, 32);
  abytes('nonce', nonce, 12);
  abytes('tag', tag, 16);
  const d = crypto.createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  d.setAuthTag(tag);
  const plaintext = d.update(ciphertext);
  try {
    d.final();
  } catch {
    return undefined;
  }
  return view(plaintext);
}

/** The last point imported: a header is tried stanza by stanza, each against every identity. */
let lastPoint: { point: Uint8Array; copy: Buffer; key: crypto.KeyObject } | undefined;

function publicKeyOf(point: Uint8Array): crypto.KeyObject {
  abytes('point', point, 32);
  if (lastPoint?.point === point && lastPoint.copy.equals(point)) return lastPoint.key;
  const copy = Buffer.from(point);
  // A JWK imports in a fraction of the time a DER key takes (measured ~8 us against ~160 us here).
  const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: copy.toString('base64url') }, format: 'jwk' });
  lastPoint = { point, copy, key };
  return key;
}

function agree(privateKey: crypto.KeyObject, point: Uint8Array): Uint8Array {
  const publicKey = publicKeyOf(point);
  try {
    return view(crypto.diffieHellman({ privateKey, publicKey }));
  } catch {
    // OpenSSL refuses low-order points; report them as the all-zero secret they produce.
    return new Uint8Array(32);
  }
}

function scalarMult(scalar: Uint8Array, point: Uint8Array): Uint8Array {
  return agree(privateKey(scalar), point);
}

function publicOf(key: crypto.KeyObject): Uint8Array {
  const spki = crypto.createPublicKey(key).export({ format: 'der', type: 'spki' });
  return view(spki.subarray(spki.length - 32));
}

function scalarMultBase(scalar: Uint8Array): Uint8Array {
  return publicOf(privateKey(scalar));
}

function x25519(scalar: Uint8Array): X25519Secret {
  const key = privateKey(scalar);
  return { publicKey: publicOf(key), agree: (point) => agree(key, point) };
}

/**
 * HKDF-SHA256 (RFC 5869) from two HMACs per block: for the short keys age derives this costs
 * about half of hkdfSync, which matters once per stanza in a long header.
 */
function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string, length: number): Uint8Array {
  aint('length', length, 0, 255 * 32);
  const prk = crypto.createHmac('sha256', salt).update(ikm).digest();
  const out = new Uint8Array(length);
  let block: Buffer = Buffer.alloc(0);
  for (let i = 1, at = 0; at < length; i++) {
    block = crypto.createHmac('sha256', prk).update(block).update(info, 'utf8').update(Buffer.of(i)).digest();
    out.set(block.subarray(0, Math.min(32, length - at)), at);
    at += 32;
  }
  return out;
}

function hmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  return view(crypto.createHmac('sha256', key).update(data).digest());
}

/**
 * node:crypto's scrypt (OpenSSL) for the Node backend: it runs on the libuv thread pool, so the
 * caller's thread stays free for the seconds it takes, and it takes exactly the memory the work
 * factor needs for as long as it runs, so 2^21 and 2^22 (age's own limit) work too.
 */
function scrypt(password: Uint8Array, salt: Uint8Array, logN: number, length: number): Promise<Uint8Array> {
  checkScryptInput(password, salt, logN);
  return new Promise((resolve, reject) => {
    crypto.scrypt(password, salt, length, { N: 2 ** logN, r: SCRYPT_R, p: 1, maxmem: scryptMemory(logN) }, (e, key) => {
      if (e) reject(e);
      else resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
    });
  });
}

/** Runs `input` through a zlib stream; an error on either side ends the iteration with it. */
async function* through(input: AsyncIterable<Uint8Array>, z: zlib.Gzip | zlib.Gunzip): AsyncIterable<Uint8Array> {
  pipeline(Readable.from(input, { objectMode: false }), z, () => undefined);
  for await (const chunk of z) yield view(chunk as Buffer);
}

const gzipAsync = promisify(zlib.gzip);
/** Input per gzip member: large enough that restarting the window costs under 0.1% in size. */
const MEMBER = 1 << 20;

/**
 * Compresses blocks as separate gzip members on the libuv thread pool, several at once (as pigz
 * does), and emits them in order. Concatenated members are one valid gzip stream (RFC 1952
 * 2.2) that every gunzip reads; memory stays at a few blocks.
 */
async function* gzip(input: AsyncIterable<Uint8Array>, level: number): AsyncIterable<Uint8Array> {
  aint('level', level, 1, 9);
  const parallel = Math.max(2, availableParallelism());
  const pending: Promise<Buffer>[] = [];
  let members = 0;
  try {
    for await (const block of coalesce(input, MEMBER)) {
      // memLevel 9 (zlib's maximum) measured a few percent faster and smaller here at the same level.
      const job = gzipAsync(block, { level, memLevel: 9, chunkSize: MEMBER });
      // Awaited in order below; this only keeps a failure from being reported as unhandled meanwhile.
      job.catch(() => undefined);
      pending.push(job);
      members++;
      if (pending.length >= parallel) yield view(await (pending.shift() as Promise<Buffer>));
    }
    while (pending.length > 0) yield view(await (pending.shift() as Promise<Buffer>));
    if (members === 0) yield view(zlib.gzipSync(new Uint8Array(0), { level }));
  } finally {
    pending.length = 0;
  }
}

function gunzip(input: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  return through(input, zlib.createGunzip({ chunkSize: 256 * 1024 }));
}

/** node:crypto and node:zlib: the default in the Node extension host and the CLI. */
export const nodePrimitives: Primitives = {
  name: 'node',
  seal,
  open,
  scalarMult,
  scalarMultBase,
  x25519,
  hkdf,
  hmac,
  scrypt,
  gzip,
  gunzip,
};
