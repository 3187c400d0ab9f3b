// Messages between the blob worker pool (workers.ts) and its threads (blobWorker.ts). Plain data only.
import type { ErrorCode } from '../errors';
import type { BlobShape, PlacedBlob } from './blobOps';

/** A master key's three parts, sent once per worker and then named by number. */
export interface KeyMessage {
  op: 'key';
  keyId: number;
  encrypt: Uint8Array;
  macK: Uint8Array;
  macR: Uint8Array;
}

export type JobMessage =
  // lent: `plain` is a view of a buffer the pool lends (BlobPool.lend): the reply hands that buffer back
  | { op: 'seal'; job: number; keyId: number; plain: Uint8Array; compress: boolean; lent?: boolean }
  | { op: 'open'; job: number; keyId: number; sealed: Uint8Array; shape: BlobShape; what: string }
  | { op: 'verifyPack'; job: number; keyId: number; pack: Uint8Array; packId: string; blobs: PlacedBlob[] }
  | { op: 'openBlobs'; job: number; keyId: number; bytes: Uint8Array; blobs: PlacedBlob[] };

/** Buffers the pool is done with, sent back so they are freed by the thread's small heap soon (see BlobPool.giveBack). */
export interface DropMessage {
  op: 'drop';
  buffers: ArrayBuffer[];
}

export type ToWorker = KeyMessage | JobMessage | DropMessage;

export interface WireError {
  code: ErrorCode | undefined;
  message: string;
}

export type FromWorker =
  | { job?: undefined; ready: true }
  | { job: number; ok: 'seal'; id: string; sealed: Uint8Array[]; uncompressedLength?: number; lent?: ArrayBuffer }
  | { job: number; ok: 'open'; plain: Uint8Array }
  // failures: one per blob, in order; null where it checked out
  | { job: number; ok: 'verifyPack'; hashOk: boolean; failures: (WireError | null)[]; pack: Uint8Array }
  // one per blob, in order: its plaintext, or what it failed with
  | { job: number; ok: 'openBlobs'; opened: (Uint8Array | WireError)[] }
  | { job: number; error: WireError };
