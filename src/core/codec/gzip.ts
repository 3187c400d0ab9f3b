import * as zlib from 'node:zlib';
import { isStorageError, storageError } from '../errors';
import { primitives, type Primitives } from './primitives';

/** RFC 1952 magic: ID1 ID2. */
export const GZIP_MAGIC = [0x1f, 0x8b] as const;
export const DEFAULT_GZIP_LEVEL = 6;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

export function gzipStream(input: AsyncIterable<Uint8Array>, level = DEFAULT_GZIP_LEVEL, p: Primitives = primitives()): AsyncIterable<Uint8Array> {
  return p.gzip(input, level);
}

export interface GunzipOptions {
  /** Stop with TooLarge once the output passes this many bytes (gzip bombs). */
  maxOutputBytes?: number;
  backend?: Primitives;
}

/**
 * Decompresses every member of a gzip stream. The output is counted as it is produced, so a
 * gzip bomb stops at the limit instead of filling memory.
 */
export async function* gunzipStream(input: AsyncIterable<Uint8Array>, opts: GunzipOptions = {}): AsyncIterable<Uint8Array> {
  const max = opts.maxOutputBytes ?? Infinity;
  let total = 0;
  try {
    for await (const chunk of (opts.backend ?? primitives()).gunzip(input)) {
      total += chunk.length;
      if (total > max) {
        throw storageError('TooLarge', `The decompressed data is larger than the limit of ${max} bytes, so it was not opened (it may be a gzip bomb). Download it instead, or raise the size limit.`);
      }
      yield chunk;
    }
  } catch (e) {
    if (isStorageError(e)) throw e;
    throw storageError('Integrity', `The gzip data is damaged or truncated (${(e as Error).message}). Restore it from a good copy.`, e);
  }
}

/** The first bytes inside a gzip stream, from a prefix of it; undefined when they cannot be read. */
export function peekGunzip(prefix: Uint8Array, want = 64): Uint8Array | undefined {
  try {
    const out = zlib.gunzipSync(prefix.subarray(0, 4096), { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 1 << 22 });
    return out.subarray(0, want);
  } catch {
    return undefined;
  }
}
