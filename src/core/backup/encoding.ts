import { createHash } from 'node:crypto';
import { storageError } from '../errors';
import { loadedZstd } from './zstdWrite';

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

/**
 * The content size a zstd frame header declares, or undefined when it declares none
 * (RFC 8878 section 3.1.1.1: the descriptor byte says how many bytes hold it).
 */
export function zstdContentSize(data: Uint8Array): number | undefined {
  if (data.length < 6 || data[0] !== 0x28 || data[1] !== 0xb5 || data[2] !== 0x2f || data[3] !== 0xfd) return undefined;
  const fhd = data[4]!;
  const single = (fhd & 0x20) !== 0;
  const fcsFlag = fhd >> 6;
  const fcsBytes = [single ? 1 : 0, 2, 4, 8][fcsFlag]!;
  if (fcsBytes === 0) return undefined;
  let at = 5 + (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3]!;
  if (at + fcsBytes > data.length) return undefined;
  let v = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) v = v * 256 + data[at + i]!;
  at += fcsBytes;
  return fcsBytes === 2 ? v + 256 : v;
}

/**
 * zstd frames, bounded: `limit` caps the output so a hostile frame cannot take all memory. A
 * declared size over the limit is refused before any work; otherwise the stream is decoded in
 * pieces and stopped as soon as it passes the limit. With `into` (a buffer not kept, at least
 * the declared size), the native decoder writes there and the result is a view of it.
 */
export function unzstd(data: Uint8Array, limit: number, what: string, into?: Uint8Array): Uint8Array {
  fzstd ??= require('fzstd') as Fzstd;
  const declared = zstdContentSize(data);
  const tooLarge = (n: number) => storageError('TooLarge', `${what}: decompresses to ${n} bytes or more, more than the ${limit} allowed; it is damaged or hostile.`);
  if (declared !== undefined && declared > limit) throw tooLarge(declared);
  const codec = loadedZstd();
  if (codec && declared !== undefined) {
    try {
      return codec.decompress(data, declared, into);
    } catch {
      // several frames, or damage: the streaming decoder below handles the one and names the other
    }
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    const d = new fzstd.Decompress((chunk) => {
      total += chunk.length;
      if (total > limit) throw tooLarge(total);
      parts.push(chunk);
    });
    d.push(data, true);
  } catch (e) {
    if ((e as { code?: string }).code === 'TooLarge') throw e;
    throw storageError('Integrity', `${what}: the zstd data is damaged (${(e as Error).message}).`, e);
  }
  if (parts.length === 1) return parts[0]!;
  return Buffer.concat(parts);
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
