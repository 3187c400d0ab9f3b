// Messages between the blob worker pool (workers.ts) and its threads (blobWorker.ts). Plain data only.
import type { ErrorCode } from '../errors';
import type { BlobShape } from './blobOps';

/** A master key's three parts, sent once per worker and then named by number. */
export interface KeyMessage {
  op: 'key';
  keyId: number;
  encrypt: Uint8Array;
  macK: Uint8Array;
  macR: Uint8Array;
}

export type JobMessage =
  | { op: 'seal'; job: number; keyId: number; plain: Uint8Array; compress: boolean }
  | { op: 'open'; job: number; keyId: number; sealed: Uint8Array; shape: BlobShape; what: string }
  | { op: 'verify'; job: number; keyId: number; sealed: Uint8Array; shape: BlobShape & { id: string }; what: string };

export type ToWorker = KeyMessage | JobMessage;

export interface WireError {
  code: ErrorCode | undefined;
  message: string;
}

export type FromWorker =
  | { job?: undefined; ready: true }
  | { job: number; ok: 'seal'; id: string; sealed: Uint8Array[]; uncompressedLength?: number }
  | { job: number; ok: 'open'; plain: Uint8Array }
  | { job: number; ok: 'verify' }
  | { job: number; error: WireError };
