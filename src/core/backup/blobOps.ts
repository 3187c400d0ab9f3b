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

/**
 * Checks the MAC, decrypts, decompresses and (given an id) checks the hash; `what` names the blob
 * in errors. With `scratch` (at least the sealed length), an uncompressed plaintext is a view of
 * it, valid until its next use; with `unpacked` too, so is a decompressed one (where the native
 * zstd serves and it is large enough).
 */
export async function openBlob(key: MasterKey, sealed: Uint8Array, shape: BlobShape, what: string, scratch?: Uint8Array, unpacked?: Uint8Array): Promise<Uint8Array> {
  let plain = open(key, sealed, what, scratch);
  const n = shape.uncompressedLength;
  if (n !== undefined) {
    if (n > MAX_BLOB) throw storageError('TooLarge', `${what}: claims ${n} bytes, more than a blob may hold.`);
    // the native or wasm decoder (several times faster than fzstd, which unzstd falls back to)
    await loadZstd().catch(() => undefined);
    plain = unzstd(plain, n, what, unpacked);
    if (plain.length !== n) throw storageError('Integrity', `${what}: decompresses to ${plain.length} bytes, not the ${n} the index says.`);
  }
  if (shape.id !== undefined && sha256Hex(plain) !== shape.id) throw storageError('Integrity', `${what}: its content does not hash to its id, so it is damaged.`);
  return plain;
}

/**
 * Reused buffers per thread for plaintexts that are not kept: [0] is decrypted into, [1] is
 * decompressed into (check's 1 GiB of plaintexts otherwise each touched fresh memory).
 */
const scratches: (Uint8Array | undefined)[] = [undefined, undefined];
/** A larger scratch buffer is let go after use, so one huge tree blob does not stay in memory. */
const SCRATCH_KEPT = 16 << 20;

function withScratch<R>(size: number, f: (s: Uint8Array) => Promise<R>, slot: 0 | 1 = 0): Promise<R> {
  const kept = scratches[slot];
  const s = kept && kept.length >= size ? kept : Buffer.allocUnsafeSlow(Math.max(size, 1 << 20));
  scratches[slot] = undefined; // taken while in use (verifications on one thread may interleave at their awaits)
  return f(s).finally(() => {
    const now = scratches[slot];
    if (s.length <= SCRATCH_KEPT && (!now || now.length < s.length)) scratches[slot] = s;
  });
}

/** A blob's place in a pack, and what it must open to. */
export interface PlacedBlob {
  offset: number;
  length: number;
  shape: BlobShape & { id: string };
  what: string;
}

/**
 * Opens each blob that lies in `bytes` (offsets from its start): the plaintext, or the error that
 * blob met, in the order given. Restore reads a run of a pack's blobs at once and hands it over
 * whole, instead of a copy per blob.
 */
export async function openBlobs(key: MasterKey, bytes: Uint8Array, blobs: readonly PlacedBlob[]): Promise<(Uint8Array | Error)[]> {
  const out: (Uint8Array | Error)[] = [];
  for (const b of blobs) {
    try {
      if (b.offset < 0 || b.length < 0 || b.offset + b.length > bytes.length) throw storageError('Integrity', `${b.what}: lies past the end of what was read.`);
      out.push(await openBlob(key, bytes.subarray(b.offset, b.offset + b.length), b.shape, b.what));
    } catch (e) {
      out.push(e instanceof Error ? e : new Error(String(e)));
    }
  }
  return out;
}

export interface PackVerdict {
  /** Whether the pack's bytes hash to its name. */
  hashOk: boolean;
  /** Each blob's failure, in the order given; undefined where the blob checked out. */
  failures: unknown[];
}

/**
 * A whole pack checked on one thread: its SHA-256 against its name, and each listed blob (MAC,
 * decompression, hash), so the pack is handed over once instead of a copy per blob.
 */
export async function verifyPack(key: MasterKey, pack: Uint8Array, packId: string, blobs: readonly PlacedBlob[]): Promise<PackVerdict> {
  const hashOk = sha256Hex(pack) === packId;
  const failures: unknown[] = [];
  // the plaintexts are not kept: each is decrypted into one scratch buffer, in turn
  const largest = blobs.reduce((n, b) => (b.offset + b.length <= pack.length ? Math.max(n, b.length) : n), 0);
  // a size the index claims is only a hint here: openBlob refuses more than MAX_BLOB, and a
  // larger claim than the scratch just decodes into memory of its own
  const unpacked = blobs.reduce((n, b) => Math.max(n, Math.min(b.shape.uncompressedLength ?? 0, SCRATCH_KEPT)), 0);
  await withScratch(largest, (s) => withScratch(unpacked, async (u) => {
    for (const b of blobs) {
      try {
        if (b.offset < 0 || b.length < 0 || b.offset + b.length > pack.length) throw storageError('Integrity', `${b.what}: lies past the pack's end.`);
        await openBlob(key, pack.subarray(b.offset, b.offset + b.length), b.shape, b.what, s, u);
        failures.push(undefined);
      } catch (e) {
        failures.push(e);
      }
    }
  }, 1));
  return { hashOk, failures };
}
