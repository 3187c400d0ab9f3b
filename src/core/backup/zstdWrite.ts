import { storageError } from '../errors';

// zstd compression for version 2 repositories through @bokuweb/zstd-wasm (zstd's own C code in
// wasm: Node 20's zlib has none, and a native addon would need a build per platform). Loaded on
// the first compressed write only.

type Compress = (buf: Uint8Array, level?: number) => Uint8Array;
interface ZstdWasm {
  /** Reads zstd.wasm from beside the module: the package's folder, or dist/ once bundled (scripts/build.mjs copies it there). */
  init(): Promise<void>;
  compress: Compress;
}

let ready: Promise<Compress> | undefined;

export function loadZstd(): Promise<Compress> {
  ready ??= (async () => {
    const z = require('@bokuweb/zstd-wasm') as ZstdWasm;
    try {
      await z.init();
    } catch (e) {
      throw storageError('NotFound', `zstd.wasm, needed to write compressed backups, could not be loaded (${(e as Error).message}). Reinstall the extension, or back up with compression off.`, e);
    }
    return z.compress;
  })();
  ready.catch(() => { ready = undefined; });
  return ready;
}

/** zstd's fastest level: measured here it keeps compression ahead of the disk, and restic reads any level. */
export const LEVEL = 1;
/** A blob is probed on this much of its start first, so random data is not compressed in full for nothing. */
const PROBE = 64 * 1024;
/** Stored compressed only when it saves at least this share (restic also stores incompressible blobs as they are). */
const MIN_SAVING = 1 / 16;

/**
 * The blob compressed, or undefined when compression would not pay (random or already compressed
 * data): the probe of its first 64 KiB decides before the whole blob is compressed.
 */
export function compressBlob(compress: Compress, plain: Uint8Array): Uint8Array | undefined {
  if (plain.length < 64) return undefined;
  if (plain.length > PROBE * 2) {
    const probe = compress(plain.subarray(0, PROBE), LEVEL);
    if (probe.length > PROBE * (1 - MIN_SAVING)) return undefined;
  }
  const out = compress(plain, LEVEL);
  return out.length <= plain.length * (1 - MIN_SAVING) ? out : undefined;
}
