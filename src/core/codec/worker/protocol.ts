// Messages between decodeOffThread() and the codec worker. Plain data only (structured clone).
import type { ErrorCode } from '../../errors';
import type { AgeFailure } from '../age/errors';
import type { BackendName } from '../primitives';
import type { DecodeInfo } from '../api';

export interface DecodeRequest {
  type: 'decode';
  bytes: Uint8Array;
  identities: readonly string[];
  maxScryptLogN?: number;
  maxOutputBytes?: number;
  /** Whether the caller can answer a passphrase question. */
  canAsk: boolean;
  backend?: BackendName;
}

/** The caller's answer to a passphrase question; undefined means the user gave up. */
export interface PassphraseAnswer {
  type: 'passphrase';
  value: string | undefined;
}

export type ToWorker = DecodeRequest | PassphraseAnswer;

export interface WireError {
  code: ErrorCode | undefined;
  message: string;
  failure?: AgeFailure;
}

export type FromWorker =
  | { type: 'ask' }
  | { type: 'done'; info: DecodeInfo; plaintext: Uint8Array }
  | { type: 'error'; error: WireError };
