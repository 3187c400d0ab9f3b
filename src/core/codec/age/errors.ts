import { StorageError, type ErrorCode } from '../../errors';

/**
 * Why an age file could not be read. The classes follow the community test vectors (CCTV), so a
 * parse error is never masked as a wrong key or a bad MAC.
 */
export type AgeFailure = 'header' | 'payload' | 'armor' | 'hmac' | 'nomatch' | 'input';

const CODES: Record<AgeFailure, ErrorCode> = {
  header: 'Integrity',
  payload: 'Integrity',
  armor: 'Integrity',
  hmac: 'Integrity',
  nomatch: 'WrongKey',
  input: 'BadInput',
};

const NEXT: Record<AgeFailure, string> = {
  header: 'The file is damaged or not a valid age v1 file; restore it from a good copy.',
  payload: 'The encrypted data is damaged or truncated; restore it from a good copy.',
  armor: 'The armored (PEM) text is damaged or not in the strict age armor format.',
  hmac: 'The header was changed after encryption, or the key is not the one used to encrypt it.',
  nomatch: 'Add the matching identity (Storage: Import Identity File) or check the passphrase.',
  input: 'Check the arguments.',
};

export class AgeError extends StorageError {
  constructor(
    readonly failure: AgeFailure,
    what: string,
    code: ErrorCode = CODES[failure],
    next: string = NEXT[failure],
  ) {
    super(code, `${what}. ${next}`);
  }
}

/** Throws an AgeError; `next` replaces the failure class's usual next step when it does not fit. */
export function fail(failure: AgeFailure, what: string, code?: ErrorCode, next?: string): never {
  throw new AgeError(failure, what, code, next);
}
