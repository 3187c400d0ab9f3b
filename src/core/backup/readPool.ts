// The read side's use of the blob worker pool (workers.ts): restore and check --read-data open
// or verify blobs in worker threads when there is enough to do to pay for starting them.
import type { MasterKey } from './crypto';
import type { IndexedBlob } from './repository';
import { decodeBlob } from './repository';
import { BlobPool } from './workers';

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

/** Opens one sealed blob (MAC, decrypt, decompress, hash) and gives its plaintext. */
export type BlobOpener = (sealed: Uint8Array, blob: IndexedBlob, what: string) => Promise<Uint8Array>;
/** As BlobOpener, keeping nothing. */
export type BlobVerifier = (sealed: Uint8Array, blob: IndexedBlob, what: string) => Promise<void>;

export interface ReadWork {
  open: BlobOpener;
  verify: BlobVerifier;
  close(): Promise<void>;
}

/** Worker threads (default THREADS) for `bytes` of blobs (or this thread, for a small read or threads: 0). */
export function readWork(key: MasterKey, bytes: number, threads?: number): ReadWork {
  if (bytes < POOL_MIN_BYTES || threads === 0) {
    return {
      open: async (sealed, b, what) => decodeBlob(key, b, sealed, what),
      verify: async (sealed, b, what) => void decodeBlob(key, b, sealed, what),
      close: async () => undefined,
    };
  }
  const pool = BlobPool.start({ maxQueuedBytes: QUEUED, threads: threads ?? THREADS });
  const shape = (b: IndexedBlob) => ({ id: b.id, ...(b.uncompressedLength !== undefined ? { uncompressedLength: b.uncompressedLength } : {}) });
  return {
    open: (sealed, b, what) => pool.open(key, sealed, shape(b), what),
    verify: (sealed, b, what) => pool.verify(key, sealed, shape(b), what),
    close: () => pool.close(),
  };
}
