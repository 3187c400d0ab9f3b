import type { Primitives } from '../primitives';
import { randomBytes } from '../random';
import { decodeB64, encodeB64 } from './base64';
import { fail } from './errors';
import type { Stanza } from './format';

export const X25519_TYPE = 'X25519';
const LABEL = 'age-encryption.org/v1/X25519';
const ZERO_NONCE = new Uint8Array(12);
const FILE_KEY = 16;

function isZero(b: Uint8Array): boolean {
  let acc = 0;
  for (const x of b) acc |= x;
  return acc === 0;
}

function wrapKey(p: Primitives, secret: Uint8Array, share: Uint8Array, recipient: Uint8Array): Uint8Array {
  if (isZero(secret)) fail('header', 'An X25519 share is a low-order point');
  return p.hkdf(secret, Buffer.concat([share, recipient]), LABEL, 32);
}

/** A stanza that lets the holder of `recipient`'s identity unwrap `fileKey`. */
export function wrapX25519(p: Primitives, recipient: Uint8Array, fileKey: Uint8Array): Stanza {
  const ephemeral = randomBytes(32);
  const share = p.scalarMultBase(ephemeral);
  const key = wrapKey(p, p.scalarMult(ephemeral, recipient), share, recipient);
  const sealed = p.seal(key, ZERO_NONCE, fileKey);
  return { type: X25519_TYPE, args: [encodeB64(share)], body: Buffer.concat([sealed.ciphertext, sealed.tag]) };
}

/**
 * The file key, or undefined when the stanza is for someone else. A malformed stanza is a header
 * error, not a mismatch, so damage is never reported as a wrong key.
 */
export function unwrapX25519(p: Primitives, scalar: Uint8Array, stanza: Stanza): Uint8Array | undefined {
  if (stanza.args.length !== 1) fail('header', 'An X25519 stanza must have exactly one argument');
  const share = decodeB64(stanza.args[0] as string, 'header', 'An X25519 share');
  if (share.length !== 32) fail('header', 'An X25519 share is not 32 bytes');
  if (stanza.body.length !== FILE_KEY + 16) fail('header', 'An X25519 stanza body is not a 16-byte file key');
  const key = wrapKey(p, p.scalarMult(scalar, share), share, p.scalarMultBase(scalar));
  return p.open(key, ZERO_NONCE, stanza.body.subarray(0, FILE_KEY), stanza.body.subarray(FILE_KEY));
}
