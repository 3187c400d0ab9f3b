// The per-blob CPU work of backup, restore and check, as plain functions: the worker pool
// (workers.ts) runs them off the main thread, and tests compare its answers with these.
import { storageError } from '../errors';
import { open, sealParts, type MasterKey } from './crypto';
import { sha256Hex, unzstd } from './encoding';
import { compressBlob, loadZstd } from './zstdWrite';

/** Blobs are at most restic's chunker maximum (8 MiB); trees may be larger but not unbounded. */
export const MAX_BLOB = 64 * 1024 * 1024;

export interface SealedBlob {
  /** SHA-256 of the plaintext: the blob's id. */
  id: string;
  /** IV, ciphertext and MAC: joined, the bytes a pack stores. */
  sealed: Uint8Array[];
  /** Set when the blob was compressed (version 2): the plaintext's length. */
  uncompressedLength?: number;
}

/** Whether a view is all of its buffer, so the buffer may move to another thread with nothing else losing bytes. */
export function ownsWholeBuffer(b: Uint8Array): boolean {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
}

/** How to read a sealed blob: compressed ones carry their plaintext length (from the index). */
export interface BlobShape {
  uncompressedLength?: number;
  /** When set, the plaintext must hash to it. */
  id?: string;
}

/** Hashes, compresses where it pays (when `compress`), and seals a blob's plaintext. */
export async function sealBlob(key: MasterKey, plain: Uint8Array, compress: boolean): Promise<SealedBlob> {
  const id = sha256Hex(plain);
  const packed = compress ? compressBlob(await loadZstd(), plain) : undefined;
  return { id, sealed: sealParts(key, packed ?? plain), ...(packed ? { uncompressedLength: plain.length } : {}) };
}

/** Checks the MAC, decrypts, decompresses and (given an id) checks the hash; `what` names the blob in errors. */
export async function openBlob(key: MasterKey, sealed: Uint8Array, shape: BlobShape, what: string): Promise<Uint8Array> {
  let plain = open(key, sealed, what);
  const n = shape.uncompressedLength;
  if (n !== undefined) {
    if (n > MAX_BLOB) throw storageError('TooLarge', `${what}: claims ${n} bytes, more than a blob may hold.`);
    // the wasm decoder when it loads (several times faster); unzstd falls back to fzstd otherwise
    await loadZstd().catch(() => undefined);
    plain = unzstd(plain, n, what);
    if (plain.length !== n) throw storageError('Integrity', `${what}: decompresses to ${plain.length} bytes, not the ${n} the index says.`);
  }
  if (shape.id !== undefined && sha256Hex(plain) !== shape.id) throw storageError('Integrity', `${what}: its content does not hash to its id, so it is damaged.`);
  return plain;
}

/** openBlob without keeping the plaintext: MAC, decompression and hash all checked. */
export async function verifyBlob(key: MasterKey, sealed: Uint8Array, shape: BlobShape & { id: string }, what: string): Promise<void> {
  await openBlob(key, sealed, shape, what);
}
