import type { Primitives } from '../primitives';
import { randomBytes } from '../random';
import { fail } from './errors';

type Base = typeof import('@scure/base', { with: { 'resolution-mode': 'import' } });
const { bech32 } = require('@scure/base') as Base;

const RECIPIENT_HRP = 'age';
const IDENTITY_HRP = 'age-secret-key-';

function decode(text: string, hrp: string, what: string, upper: boolean): Uint8Array {
  const ok = upper ? text === text.toUpperCase() : text === text.toLowerCase();
  let bytes: Uint8Array | undefined;
  try {
    const d = bech32.decode(text.toLowerCase() as `${string}1${string}`, 200);
    if (ok && d.prefix === hrp) bytes = bech32.fromWords(d.words);
  } catch {
    bytes = undefined;
  }
  // The text is never echoed: it may be a secret.
  if (bytes?.length !== 32) fail('input', `This is not a valid age ${what}`);
  return bytes;
}

/** The 32-byte X25519 public key of an `age1...` recipient. */
export function parseRecipient(recipient: string): Uint8Array {
  return decode(recipient.trim(), RECIPIENT_HRP, 'recipient (age1...)', false);
}

/** The 32-byte X25519 scalar of an `AGE-SECRET-KEY-1...` identity. */
export function parseIdentity(identity: string): Uint8Array {
  return decode(identity.trim(), IDENTITY_HRP, 'identity (AGE-SECRET-KEY-1...)', true);
}

export function formatRecipient(publicKey: Uint8Array): string {
  return bech32.encode(RECIPIENT_HRP, bech32.toWords(publicKey), 200);
}

export function formatIdentity(scalar: Uint8Array): string {
  return bech32.encode(IDENTITY_HRP, bech32.toWords(scalar), 200).toUpperCase();
}

export function identityToRecipient(p: Primitives, identity: string): string {
  return formatRecipient(p.scalarMultBase(parseIdentity(identity)));
}

export function generateIdentity(p: Primitives): { identity: string; recipient: string } {
  const scalar = randomBytes(32);
  return { identity: formatIdentity(scalar), recipient: formatRecipient(p.scalarMultBase(scalar)) };
}

/** The identities in an `age-keygen` file: one per line, '#' comments and blank lines skipped. */
export function identitiesFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
