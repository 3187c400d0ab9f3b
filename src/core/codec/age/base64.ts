import { fail, type AgeFailure } from './errors';

const ALPHABET = /^[A-Za-z0-9+/]*$/;

/** Unpadded base64 as age writes it (RFC 4648 without '='). */
export function encodeB64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/=+$/, '');
}

/**
 * Strict, canonical, unpadded base64: any other spelling of the same bytes is refused, since a
 * lenient decoder lets two different headers carry the same MAC input.
 */
export function decodeB64(text: string, failure: AgeFailure, what: string): Uint8Array {
  if (!ALPHABET.test(text) || text.length % 4 === 1) fail(failure, `${what} is not valid base64`);
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  if (encodeB64(bytes) !== text) fail(failure, `${what} is not canonical base64`);
  return bytes;
}
