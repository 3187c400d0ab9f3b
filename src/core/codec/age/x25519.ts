import type { Primitives, X25519Secret } from '../primitives';
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

/** An X25519 stanza checked once, whatever the number of identities tried against it. */
export interface X25519Stanza {
  share: Uint8Array;
  body: Uint8Array;
}

/**
 * Checks an X25519 stanza. A malformed stanza is a header error, not a mismatch, so damage is
 * never reported as a wrong key.
 */
export function parseX25519(stanza: Stanza): X25519Stanza {
  if (stanza.args.length !== 1) fail('header', 'An X25519 stanza must have exactly one argument');
  const share = decodeB64(stanza.args[0] as string, 'header', 'An X25519 share');
  if (share.length !== 32) fail('header', 'An X25519 share is not 32 bytes');
  if (stanza.body.length !== FILE_KEY + 16) fail('header', 'An X25519 stanza body is not a 16-byte file key');
  return { share, body: stanza.body };
}

/** The file key, or undefined when the stanza is for someone else. */
export function unwrapX25519(p: Primitives, secret: X25519Secret, stanza: X25519Stanza): Uint8Array | undefined {
  const key = wrapKey(p, secret.agree(stanza.share), stanza.share, secret.publicKey);
  return p.open(key, ZERO_NONCE, stanza.body.subarray(0, FILE_KEY), stanza.body.subarray(FILE_KEY));
}
