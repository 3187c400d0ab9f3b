import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { storageError } from '../errors';

// zstd for version 2 repositories, from one of two builds of zstd's own C library:
// - native: zstd-napi's Node-API binding, compiled at install (an optional dependency) and copied
//   beside the bundle as zstd-napi.node by scripts/build.mjs. Measured side by side on the bench
//   tree's files it decodes about 1.8x and compresses about 1.3x as fast as the wasm build, and it
//   reads and writes caller-given buffers, so nothing is copied in and out of a wasm heap.
// - wasm: @foxglove/wasm-zstd, wherever the binding is absent or was built for another platform
//   (Node 20's zlib has no zstd). Its loader reads wasm-zstd.wasm from beside the module: the
//   package's folder, or dist/ once bundled (scripts/build.mjs copies it there).
// Both give frames any zstd reads; restic reads every level. The wasm is compiled only when the
// binding cannot load, on the first compressed write or when a version 2 repository is opened.

type Compress = (buf: Uint8Array, level?: number) => Uint8Array;
/** The codec both builds offer here. */
export interface ZstdCodec {
  readonly backend: 'native' | 'wasm';
  compress(buf: Uint8Array, level?: number): Uint8Array;
  /**
   * One-shot decode into `size` bytes; throws when the frames need more, or are damaged. The
   * native build decodes into `into` when it is large enough (the result is then a view of it).
   */
  decompress(buf: Uint8Array, size: number, into?: Uint8Array): Uint8Array;
}
interface ZstdWasm {
  /** Settles once the wasm is compiled (rejects when it cannot load). */
  isLoaded: Promise<boolean | void>;
  compress(buf: Uint8Array, level?: number): Uint8Array;
  decompress(buf: Uint8Array, size: number): Uint8Array;
}
/** The part of zstd-napi's binding used here: one context per thread, reused for every blob. */
interface ZstdBinding {
  CCtx: new () => { compress(dst: Uint8Array, src: Uint8Array, level: number): number };
  DCtx: new () => { decompress(dst: Uint8Array, src: Uint8Array): number };
  compressBound(size: number): number;
}

/** undefined: not tried yet; null: tried, and it is not here (or does not load). */
let native: ZstdCodec | null | undefined;
let ready: Promise<Compress> | undefined;
let loaded: ZstdCodec | undefined;

function bindingPaths(): string[] {
  const paths = [join(__dirname, 'zstd-napi.node')];
  try {
    paths.push(join(dirname(require.resolve('zstd-napi/package.json')), 'build', 'Release', 'binding.node'));
  } catch {
    // not installed (the optional dependency did not build): the bundle's copy, or the wasm
  }
  return paths;
}

/** The largest compression buffer a thread keeps between blobs (restic's largest chunk, and its bound). */
const SCRATCH_MAX = (8 << 20) + (64 << 10);

function nativeCodec(b: ZstdBinding): ZstdCodec {
  const cctx = new b.CCtx();
  const dctx = new b.DCtx();
  // frames are written into one reused buffer and copied out at their size: a buffer of the
  // bound each, kept until sealed, held a blob's whole size per compressed blob (20-30 MB more RSS)
  let scratch = new Uint8Array(0);
  return {
    backend: 'native',
    compress(buf, level = LEVEL) {
      const bound = b.compressBound(buf.length);
      const dst = scratch.length >= bound ? scratch : new Uint8Array(bound);
      if (bound <= SCRATCH_MAX) scratch = dst;
      // slice: a fresh buffer of its own, never a pooled one (a blob may move to another thread whole)
      return dst.slice(0, cctx.compress(dst, buf, level));
    },
    decompress(buf, size, into) {
      // never a pooled Buffer, for the same reason
      const dst = into && into.length >= size ? into.subarray(0, size) : Buffer.allocUnsafeSlow(size);
      return dst.subarray(0, dctx.decompress(dst, buf));
    },
  };
}

/** The native build when its binding loads on this platform, else undefined (tried once per thread). */
export function nativeZstd(): ZstdCodec | undefined {
  if (native === undefined) {
    native = null;
    for (const p of bindingPaths()) {
      if (!existsSync(p)) continue;
      try {
        native = nativeCodec(require(p) as ZstdBinding);
        break;
      } catch {
        // built for another platform or Node-API version: the next candidate, or the wasm
      }
    }
  }
  return native ?? undefined;
}

/** The codec in use once loaded: native, or the wasm once compiled; undefined before (fzstd's JS serves). */
export function loadedZstd(): ZstdCodec | undefined {
  return nativeZstd() ?? loaded;
}

/** The wasm build alone, compiled on first call (the fallback, and its tests). */
export async function wasmZstd(): Promise<ZstdCodec> {
  const z = require('@foxglove/wasm-zstd') as ZstdWasm;
  await z.isLoaded;
  return { backend: 'wasm', compress: z.compress, decompress: (buf, size) => z.decompress(buf, size) };
}

export function loadZstd(): Promise<Compress> {
  const n = nativeZstd();
  if (n) return Promise.resolve(n.compress);
  ready ??= (async () => {
    try {
      const z = await wasmZstd();
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
