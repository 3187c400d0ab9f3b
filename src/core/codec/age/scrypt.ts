import type { Primitives } from '../primitives';
import { randomBytes } from '../random';
import { decodeB64, encodeB64 } from './base64';
import { fail } from './errors';
import type { Stanza } from './format';

export const SCRYPT_TYPE = 'scrypt';
const LABEL = 'age-encryption.org/v1/scrypt';
const ZERO_NONCE = new Uint8Array(12);
const FILE_KEY = 16;
const SALT = 16;
/** age's own default; about a second of work here (baselines.md). */
export const DEFAULT_WRITE_LOG_N = 18;
/** What age accepts by default (2^22: 4 GiB and about 20 s here); files above it need the limit raised. */
export const DEFAULT_MAX_LOG_N = 22;
/** The highest work factor age (and this tool) will ever use. */
export const MAX_LOG_N = 30;
/** Where the limit is raised, named in the refusal so the user knows the next step. */
export const LIMIT_SETTINGS = 'with --max-scrypt-log-n on the command line, or the setting storageInspector.encryption.maxScryptWorkFactor in the editor';

const utf8 = new TextEncoder();

function salted(salt: Uint8Array): Uint8Array {
  return Buffer.concat([utf8.encode(LABEL), salt]);
}

export async function wrapScrypt(p: Primitives, passphrase: string, fileKey: Uint8Array, logN = DEFAULT_WRITE_LOG_N): Promise<Stanza> {
  const salt = randomBytes(SALT);
  const key = await p.scrypt(utf8.encode(passphrase), salted(salt), logN, 32);
  const sealed = p.seal(key, ZERO_NONCE, fileKey);
  return { type: SCRYPT_TYPE, args: [encodeB64(salt), String(logN)], body: Buffer.concat([sealed.ciphertext, sealed.tag]) };
}

export interface ScryptParams {
  salt: Uint8Array;
  logN: number;
}

/**
 * Checks an scrypt stanza before any passphrase is asked for, so a damaged or hostile file
 * never costs the user a prompt or minutes of work.
 */
export function checkScrypt(stanza: Stanza, maxLogN = DEFAULT_MAX_LOG_N): ScryptParams {
  if (stanza.args.length !== 2) fail('header', 'An scrypt stanza must have exactly two arguments');
  const salt = decodeB64(stanza.args[0] as string, 'header', 'An scrypt salt');
  if (salt.length !== SALT) fail('header', 'An scrypt salt is not 16 bytes');
  const work = stanza.args[1] as string;
  if (!/^[1-9][0-9]?$/.test(work)) fail('header', 'An scrypt work factor is not a decimal number from 1 to 99');
  const logN = Number(work);
  if (logN > maxLogN) {
    const gib = (128 * 8 * 2 ** logN) / 2 ** 30;
    fail(
      'header',
      `This file's scrypt work factor is 2^${logN} (log N ${logN}), above the limit of 2^${maxLogN}`,
      'TooLarge',
      `Opening it takes ${gib >= 1 ? `${gib} GiB` : `${gib * 1024} MiB`} of memory and time to match. If you trust the file, raise the limit to ${logN} ${LIMIT_SETTINGS}.`,
    );
  }
  if (stanza.body.length !== FILE_KEY + 16) fail('header', 'An scrypt stanza body is not a 16-byte file key');
  return { salt, logN };
}

/** The file key, or undefined when the passphrase is wrong. */
export async function unwrapScrypt(p: Primitives, passphrase: string, params: ScryptParams, stanza: Stanza): Promise<Uint8Array | undefined> {
  const key = await p.scrypt(utf8.encode(passphrase), salted(params.salt), params.logN, 32);
  return p.open(key, ZERO_NONCE, stanza.body.subarray(0, FILE_KEY), stanza.body.subarray(FILE_KEY));
}
