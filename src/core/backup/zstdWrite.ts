import { storageError } from '../errors';

// zstd for version 2 repositories through @foxglove/wasm-zstd (zstd's own C code in wasm: Node
// 20's zlib has none, and a native addon would need a build per platform). Measured side by side
// on the bench tree's files it compresses (level 1) about 1.5-2x and decodes about 1.2-1.3x as fast
// as @bokuweb/zstd-wasm, used before. Loaded on the first compressed write, or when a version 2
// repository is opened (to decompress). Its loader reads wasm-zstd.wasm from beside the module:
// the package's folder, or dist/ once bundled (scripts/build.mjs copies it there).

type Compress = (buf: Uint8Array, level?: number) => Uint8Array;
interface ZstdWasm {
  /** Settles once the wasm is compiled (rejects when it cannot load). */
  isLoaded: Promise<boolean | void>;
  compress(buf: Uint8Array, level?: number): Uint8Array;
  /** One-shot decode into `size` bytes; throws when the frames need more, or are damaged. */
  decompress(buf: Uint8Array, size: number): Uint8Array;
}

let ready: Promise<Compress> | undefined;
let loaded: ZstdWasm | undefined;

/** The wasm codec once loaded (several times faster than fzstd's JS), else undefined. */
export function loadedZstd(): ZstdWasm | undefined {
  return loaded;
}

export function loadZstd(): Promise<Compress> {
  ready ??= (async () => {
    try {
      const z = require('@foxglove/wasm-zstd') as ZstdWasm;
      await z.isLoaded;
      loaded = z;
      return z.compress; // a plain function of the module: no `this` to keep
    } catch (e) {
      throw storageError('NotFound', `wasm-zstd.wasm, needed to write compressed backups, could not be loaded (${(e as Error).message ?? String(e)}). Reinstall the extension, or back up with compression off.`, e);
    }
  })();
  ready.catch(() => { ready = undefined; });
  return ready;
}

/** zstd's fastest level: measured here it keeps compression ahead of the disk, and restic reads any level. */
export const LEVEL = 1;
/** A big blob is probed on this much of its start first, so random data is not compressed in full for nothing. */
const PROBE = 64 * 1024;
/**
 * Blobs below this size are compressed whole without a probe. Level 1 gives up on random data
 * quickly (about 2 GB/s here, against 260 MB/s on text), while a probe is compressed twice when the
 * data is text: on the bench's files of 10-200 KiB the probes were a fifth of all zstd work.
 */
const PROBE_FROM = 1024 * 1024;
/** Stored compressed only when it saves at least this share (restic also stores incompressible blobs as they are). */
const MIN_SAVING = 1 / 16;

/**
 * The blob compressed, or undefined when compression would not pay (random or already compressed
 * data): for a blob of 1 MiB or more, the probe of its first 64 KiB decides before the whole blob is compressed.
 */
export function compressBlob(compress: Compress, plain: Uint8Array): Uint8Array | undefined {
  if (plain.length < 64) return undefined;
  if (plain.length >= PROBE_FROM) {
    const probe = compress(plain.subarray(0, PROBE), LEVEL);
    if (probe.length > PROBE * (1 - MIN_SAVING)) return undefined;
  }
  const out = compress(plain, LEVEL);
  return out.length <= plain.length * (1 - MIN_SAVING) ? out : undefined;
}
