// Poly1305 (RFC 8439, section 2.5) with a caller-given 32-byte one-time key, as restic's
// Poly1305-AES needs. Three backends behind one synchronous function, the first that loads:
// - libsodium's crypto_onetimeauth, native: sodium-native's prebuilt Node-API binding (copied
//   beside the bundle as dist/sodium-native.node; loaded synchronously, in any thread). Measured
//   here on 512 MiB in 100 KiB to 4 MiB messages: 149-163 ms, against 389-402 ms for the wasm.
//   Where there is no build for the platform (or it does not load), the next backend serves.
// - the same C code in wasm (libsodium-wrappers-sumo), about 5x faster than the JS below on
//   4 MiB and on 1 KiB messages (and faster than @noble/ciphers' and @stablelib's). Loading it
//   costs about 60-90 ms of CPU (1.2 MB of JS to parse, then an asynchronous wasm compile), so a
//   thread loads it in the background only once it has MAC'd LOAD_AFTER bytes in JS: a small
//   restore or check never pays for it, a big one switches early. loadPoly1305() loads it at once.
// - the JS below, used until then and wherever neither loads.
//
// The JS backend: six 22-bit limbs held in float64s: every product and sum
// stays below 2^53, so the arithmetic is exact with 36 multiplications a block, where a 16-bit
// limb design needs 100. 2^132 = 4 * 2^130 = 20 (mod 2^130 - 5) folds the high limbs back.
// The final reduction and the addition of s run once, in BigInt.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const B = 4194304; // 2^22
const INV = 1 / B;
const M = 0x3fffff;

function limbs(w0: number, w1: number, w2: number, w3: number, hibit: number, out: Float64Array): void {
  out[0] = w0 & M;
  out[1] = ((w0 >>> 22) | (w1 << 10)) & M;
  out[2] = ((w1 >>> 12) | (w2 << 20)) & M;
  out[3] = (w2 >>> 2) & M;
  out[4] = ((w2 >>> 24) | (w3 << 8)) & M;
  out[5] = (w3 >>> 14) + hibit * 262144; // bit 128 is bit 18 of the top limb
}

const P = (1n << 130n) - 5n;

/** The raw binding's call (sodium-native's index.js checks its arguments in JS first; poly1305() does here). */
interface SodiumNative {
  crypto_onetimeauth(out: Uint8Array, msg: Uint8Array, key: Uint8Array): number;
}

/** undefined: not looked for yet; null: no build loads here. */
let native: SodiumNative | null | undefined;

function nativePaths(): string[] {
  const paths = [join(__dirname, 'sodium-native.node')];
  try {
    paths.push(join(dirname(require.resolve('sodium-native/package.json')), 'prebuilds', `${process.platform}-${process.arch}`, 'sodium-native.node'));
  } catch {
    // not installed beside this code (the bundle's copy, or nothing)
  }
  return paths;
}

/** The native binding, looked for once per thread. */
function nativeSodium(): SodiumNative | undefined {
  if (native === undefined) {
    native = null;
    for (const p of nativePaths()) {
      if (!existsSync(p)) continue;
      try {
        const b = require(p) as Partial<SodiumNative>;
        if (typeof b.crypto_onetimeauth === 'function') {
          native = b as SodiumNative;
          break;
        }
      } catch {
        // built for another platform or Node-API version: the next candidate, or the wasm
      }
    }
  }
  return native ?? undefined;
}

/** The native backend alone, or undefined where it does not load (for tests and the bench). */
export function poly1305Native(msg: Uint8Array, key: Uint8Array): Uint8Array | undefined {
  if (key.length !== 32) throw new RangeError('poly1305: key must be 32 bytes');
  const n = nativeSodium();
  if (!n) return undefined;
  const out = new Uint8Array(16);
  if (n.crypto_onetimeauth(out, msg, key) !== 0) throw new Error('poly1305: libsodium refused the message');
  return out;
}
const MASK128 = (1n << 128n) - 1n;

type Sodium = typeof import('libsodium-wrappers-sumo');
let sodium: Sodium | undefined;
let loading: Promise<boolean> | undefined;
/** Bytes MAC'd by the JS backend in this thread, and how many before the wasm one is loaded. */
let jsBytes = 0;
const LOAD_AFTER = 24 << 20;

/**
 * Makes poly1305() use a compiled backend from now on: resolves true at once where the native one
 * loads, else once the wasm one has loaded; false when neither can load here (poly1305() keeps
 * using the JS backend, which gives the same tags).
 */
export function loadPoly1305(): Promise<boolean> {
  if (nativeSodium()) return Promise.resolve(true);
  return loadPoly1305Wasm();
}

/** Loads the wasm backend once (whether or not the native one serves); resolves whether it loaded. */
export function loadPoly1305Wasm(): Promise<boolean> {
  loading ??= (async () => {
    try {
      const s = require('libsodium-wrappers-sumo') as Sodium;
      await s.ready;
      if (typeof s.crypto_onetimeauth !== 'function') return false;
      sodium = s;
      return true;
    } catch {
      return false;
    }
  })();
  return loading;
}

/** Which backend poly1305() uses now (for tests and the bench). */
export function poly1305Backend(): 'native' | 'wasm' | 'js' {
  return nativeSodium() ? 'native' : sodium ? 'wasm' : 'js';
}

/** The wasm backend alone, once loadPoly1305Wasm() has resolved true (for tests). */
export function poly1305Wasm(msg: Uint8Array, key: Uint8Array): Uint8Array {
  if (key.length !== 32) throw new RangeError('poly1305: key must be 32 bytes');
  if (!sodium) throw new Error('poly1305: the wasm backend is not loaded');
  return sodium.crypto_onetimeauth(msg, key);
}

/** The 16-byte Poly1305 tag of `msg` under the 32-byte one-time key (r clamped here, then s). */
export function poly1305(msg: Uint8Array, key: Uint8Array): Uint8Array {
  if (key.length !== 32) throw new RangeError('poly1305: key must be 32 bytes');
  const n = native === undefined ? nativeSodium() : native;
  if (n) {
    const out = new Uint8Array(16);
    if (n.crypto_onetimeauth(out, msg, key) !== 0) throw new Error('poly1305: libsodium refused the message');
    return out;
  }
  if (sodium) return sodium.crypto_onetimeauth(msg, key);
  jsBytes += msg.length;
  if (!loading && jsBytes > LOAD_AFTER) void loadPoly1305();
  return poly1305Js(msg, key);
}

/** The JS backend alone (the reference the tests compare the wasm one with). */
export function poly1305Js(msg: Uint8Array, key: Uint8Array): Uint8Array {
  if (key.length !== 32) throw new RangeError('poly1305: key must be 32 bytes');
  const kv = new DataView(key.buffer, key.byteOffset, 32);
  const rl = new Float64Array(6);
  limbs(kv.getUint32(0, true) & 0x0fffffff, kv.getUint32(4, true) & 0x0ffffffc, kv.getUint32(8, true) & 0x0ffffffc, kv.getUint32(12, true) & 0x0ffffffc, 0, rl);
  const r0 = rl[0]!, r1 = rl[1]!, r2 = rl[2]!, r3 = rl[3]!, r4 = rl[4]!, r5 = rl[5]!;
  const t1 = r1 * 20, t2 = r2 * 20, t3 = r3 * 20, t4 = r4 * 20, t5 = r5 * 20;
  let h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0;
  const view = new DataView(msg.buffer, msg.byteOffset, msg.length);
  const full = msg.length - (msg.length % 16);
  const tail = new Uint8Array(16);
  const tailView = new DataView(tail.buffer);
  for (let pos = 0; pos < msg.length; pos += 16) {
    let w0: number, w1: number, w2: number, w3: number, hibit: number;
    if (pos < full) {
      w0 = view.getUint32(pos, true); w1 = view.getUint32(pos + 4, true); w2 = view.getUint32(pos + 8, true); w3 = view.getUint32(pos + 12, true);
      hibit = 262144; // bit 128 is bit 18 of the top limb
    } else {
      // the last, partial block: its bytes, a 1, zeros, and no bit 128
      tail.fill(0);
      tail.set(msg.subarray(pos));
      tail[msg.length - pos] = 1;
      w0 = tailView.getUint32(0, true); w1 = tailView.getUint32(4, true); w2 = tailView.getUint32(8, true); w3 = tailView.getUint32(12, true);
      hibit = 0;
    }
    h0 += w0 & M;
    h1 += ((w0 >>> 22) | (w1 << 10)) & M;
    h2 += ((w1 >>> 12) | (w2 << 20)) & M;
    h3 += (w2 >>> 2) & M;
    h4 += ((w2 >>> 24) | (w3 << 8)) & M;
    h5 += (w3 >>> 14) + hibit;
    let d0 = h0 * r0 + h1 * t5 + h2 * t4 + h3 * t3 + h4 * t2 + h5 * t1;
    let d1 = h0 * r1 + h1 * r0 + h2 * t5 + h3 * t4 + h4 * t3 + h5 * t2;
    let d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * t5 + h4 * t4 + h5 * t3;
    let d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * t5 + h5 * t4;
    let d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0 + h5 * t5;
    let d5 = h0 * r5 + h1 * r4 + h2 * r3 + h3 * r2 + h4 * r1 + h5 * r0;
    let c = Math.floor(d0 * INV); d0 -= c * B; d1 += c;
    c = Math.floor(d1 * INV); d1 -= c * B; d2 += c;
    c = Math.floor(d2 * INV); d2 -= c * B; d3 += c;
    c = Math.floor(d3 * INV); d3 -= c * B; d4 += c;
    c = Math.floor(d4 * INV); d4 -= c * B; d5 += c;
    c = Math.floor(d5 * INV); d5 -= c * B; d0 += c * 20;
    c = Math.floor(d0 * INV); d0 -= c * B; d1 += c;
    h0 = d0; h1 = d1; h2 = d2; h3 = d3; h4 = d4; h5 = d5;
  }
  let h = BigInt(h0) + (BigInt(h1) << 22n) + (BigInt(h2) << 44n) + (BigInt(h3) << 66n) + (BigInt(h4) << 88n) + (BigInt(h5) << 110n);
  h %= P;
  let s = 0n;
  for (let i = 31; i >= 16; i--) s = (s << 8n) | BigInt(key[i]!);
  let tag = (h + s) & MASK128;
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    out[i] = Number(tag & 0xffn);
    tag >>= 8n;
  }
  return out;
}
