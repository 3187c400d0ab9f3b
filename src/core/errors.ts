/** Error codes shared by every core service; the VS Code layer maps them in one place. */
export type ErrorCode =
  | 'NotFound'
  | 'Exists'
  | 'NoPermission'
  | 'Conflict'
  | 'Integrity'
  | 'WrongKey'
  | 'TooLarge'
  | 'Unavailable'
  | 'Cancelled'
  | 'BadInput';

/**
 * A failure the user can act on. `message` says what happened and what to do next,
 * and never contains a secret (no keys, passphrases or credentials).
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  /** Set so that errors thrown by another bundle are still recognised (no instanceof). */
  readonly isStorageError = true;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for a StorageError from any bundle. */
export function isStorageError(e: unknown): e is StorageError {
  return typeof e === 'object' && e !== null && (e as { isStorageError?: unknown }).isStorageError === true;
}

export function storageError(code: ErrorCode, message: string, cause?: unknown): StorageError {
  return new StorageError(code, message, cause === undefined ? undefined : { cause });
}

/** The user's cancel; recognised by flag, not by class. */
export function cancelled(what = 'The operation'): StorageError {
  return new StorageError('Cancelled', `${what} was cancelled.`);
}

export function isCancelled(e: unknown): boolean {
  return isStorageError(e) && e.code === 'Cancelled';
}

/** A message for any thrown value, without stack or secrets. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
