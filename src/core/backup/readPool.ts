// The read side's use of the blob worker pool (workers.ts): restore and check --read-data open
// or verify blobs in worker threads when there is enough to do to pay for starting them.
import type { MasterKey } from './crypto';
import { openBlobs, verifyPack, type BlobShape, type PlacedBlob } from './blobOps';
import type { IndexedBlob } from './repository';
import { decodeBlob } from './repository';
import { BlobPool, type PackVerdictBack } from './workers';

/** Below this many bytes to read, the threads' start (tens of ms) costs more than it saves. */
export const POOL_MIN_BYTES = 8 << 20;

/** Sealed bytes handed to the threads and not yet answered (the pool's default is 32 MiB): keeps peak RSS well under 256 MB. */
const QUEUED = 8 << 20;

/**
 * One worker thread by default: with the main thread (reads, the pack hash, file writes) that
 * keeps two cores busy. Measured here on the 1 GiB tree, a second worker added about 35 MB of
 * peak RSS each run (283 MB against 251 MB for a restore) for no gain on a shared 2-core machine.
 */
const THREADS = 1;

/** How an indexed blob opens: its id to hash to, and its plaintext length when compressed. */
export function blobShape(b: IndexedBlob): BlobShape & { id: string } {
  return { id: b.id, ...(b.uncompressedLength !== undefined ? { uncompressedLength: b.uncompressedLength } : {}) };
}

/** Opens one sealed blob (MAC, decrypt, decompress, hash) and gives its plaintext. */
export type BlobOpener = (sealed: Uint8Array, blob: IndexedBlob, what: string) => Promise<Uint8Array>;
/**
 * Checks a whole pack (its hash against its name, each blob's MAC and hash) and keeps nothing.
 * The pack's bytes are handed over: the caller must not use them afterwards, only the buffer the
 * verdict may give back (`bytes`, to read another pack into). With `whole`, the pack is a view of
 * a buffer that is all the caller's (one it read into), and all of it is handed over.
 */
export type PackVerifier = (pack: Uint8Array, packId: string, blobs: readonly PlacedBlob[], whole?: boolean) => Promise<PackVerdictBack>;

/**
 * Opens every listed blob that lies in `bytes` (a run of a pack read at once; offsets from its
 * start): each one's plaintext or error, in order. The bytes are handed over.
 */
export type BlobsOpener = (bytes: Uint8Array, blobs: readonly PlacedBlob[]) => Promise<(Uint8Array | Error)[]>;

export interface ReadWork {
  open: BlobOpener;
  openAll: BlobsOpener;
  verifyPack: PackVerifier;
  /**
   * Plaintexts from open() that nothing uses any more (written out, say): sent back to a thread
   * to be freed there soon (BlobPool.giveBack), not left to this thread's collections.
   */
  done(plains: readonly Uint8Array[]): void;
  close(): Promise<void>;
}

/**
 * Worker threads (default THREADS) for `bytes` of blobs (or this thread, for a small read or
 * threads: 0), with up to `queued` bytes handed to them and not yet answered (default QUEUED).
 */
export function readWork(key: MasterKey, bytes: number, threads?: number, queued = QUEUED): ReadWork {
  if (bytes < POOL_MIN_BYTES || threads === 0) {
    return {
      open: async (sealed, b, what) => decodeBlob(key, b, sealed, what),
      openAll: (bytes, blobs) => openBlobs(key, bytes, blobs),
      verifyPack: (pack, packId, blobs) => verifyPack(key, pack, packId, blobs),
      done: () => undefined,
      close: async () => undefined,
    };
  }
  const pool = BlobPool.start({ maxQueuedBytes: queued, threads: threads ?? THREADS });
  // every thread at once: a whole pack is one job, so with the few packs in flight a thread
  // started only once the others had jobs queued would never start
  pool.prewarm();
  return {
    open: (sealed, b, what) => pool.open(key, sealed, blobShape(b), what),
    openAll: (bytes, blobs) => pool.openBlobs(key, bytes, blobs, { transfer: true }),
    verifyPack: (pack, packId, blobs, whole) => pool.verifyPack(key, pack, packId, blobs, { transfer: true, whole }),
    done: (plains) => pool.giveBack(plains),
    close: () => pool.close(),
  };
}
