import { createHash } from 'node:crypto';
import { storageError } from '../errors';

type Fzstd = typeof import('fzstd');
// fzstd is pure JS; loaded on first use so reading an uncompressed repository never pays for it.
let fzstd: Fzstd | undefined;

/** Lower-case hex SHA-256: the name of every restic file and the id of every blob. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hexToBytes(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw storageError('Integrity', `"${hex.slice(0, 80)}" is not a restic id (64 hex digits). The repository may be damaged.`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** zstd frames, bounded: `limit` caps the output so a hostile frame cannot take all memory. */
export function unzstd(data: Uint8Array, limit: number, what: string): Uint8Array {
  fzstd ??= require('fzstd') as Fzstd;
  let out: Uint8Array;
  try {
    out = fzstd.decompress(data);
  } catch (e) {
    throw storageError('Integrity', `${what}: the zstd data is damaged (${(e as Error).message}).`, e);
  }
  if (out.length > limit) throw storageError('TooLarge', `${what}: decompresses to ${out.length} bytes, more than the ${limit} allowed.`);
  return out;
}

const JSON_LIMIT = 256 * 1024 * 1024;

/**
 * The plaintext of an index, snapshot or lock file: plain JSON (version 1, or a leading '{' / '['),
 * or version byte 2 and zstd-compressed JSON (repository version 2).
 */
export function parseUnpacked<T>(plain: Uint8Array, what: string): T {
  let text: Uint8Array = plain;
  if (plain[0] === 2) text = unzstd(plain.subarray(1), JSON_LIMIT, what);
  else if (plain[0] !== 0x7b && plain[0] !== 0x5b) throw storageError('Integrity', `${what}: unknown encoding version ${plain[0] ?? '(empty)'}; a newer restic may have written it.`);
  try {
    return JSON.parse(Buffer.from(text.buffer, text.byteOffset, text.length).toString('utf8')) as T;
  } catch (e) {
    throw storageError('Integrity', `${what}: the JSON inside is damaged (${(e as Error).message}).`, e);
  }
}
