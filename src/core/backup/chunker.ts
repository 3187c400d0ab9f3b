// restic's content-defined chunking (github.com/restic/chunker): a Rabin fingerprint over a
// 64-byte window with the repository's polynomial; a cut where the low 20 bits are zero, chunks
// 512 KiB to 8 MiB. Cuts must fall exactly where restic's fall, or nothing deduplicates.
// The 53-bit digest lives in two uint32 halves so the per-byte loop stays in small integers.

export const MIN_SIZE = 512 * 1024;
export const MAX_SIZE = 8 * 1024 * 1024;
const WINDOW = 64;
const SPLIT_MASK = (1 << 20) - 1;

function deg(x: bigint): number {
  return x === 0n ? -1 : x.toString(2).length - 1;
}

/** x mod p over GF(2). */
function polMod(x: bigint, p: bigint): bigint {
  const dp = deg(p);
  for (let dx = deg(x); dx >= dp; dx = deg(x)) x ^= p << BigInt(dx - dp);
  return x;
}

// Int32 tables and int32 arithmetic (`| 0`, not `>>> 0`) keep V8 on small integers in the hot loop.
interface Tables {
  outHi: Int32Array;
  outLo: Int32Array;
  modHi: Int32Array;
  modLo: Int32Array;
  shift: number;
}

const cache = new Map<string, Tables>();

function tables(polHex: string): Tables {
  const hit = cache.get(polHex);
  if (hit) return hit;
  const pol = BigInt(`0x${polHex}`);
  const k = deg(pol);
  if (k < 41 || k > 53) throw new RangeError(`chunker polynomial ${polHex}: degree ${k} is outside 41..53 (restic uses 53)`);
  const t: Tables = { outHi: new Int32Array(256), outLo: new Int32Array(256), modHi: new Int32Array(256), modLo: new Int32Array(256), shift: k - 8 };
  for (let b = 0; b < 256; b++) {
    const m = polMod(BigInt(b) << BigInt(k), pol) | (BigInt(b) << BigInt(k));
    t.modHi[b] = Number(m >> 32n) | 0;
    t.modLo[b] = Number(m & 0xffffffffn) | 0;
  }
  // the fingerprint of b followed by 63 zero bytes (what leaving the window removes), with the
  // same int32 steps as the hot loop: 63 BigInt reductions per byte cost 100+ ms a process
  const shiftHi = t.shift - 32;
  for (let b = 0; b < 256; b++) {
    let hi = 0;
    let lo = b;
    for (let i = 0; i < WINDOW - 1; i++) {
      const index = (hi >>> shiftHi) & 0xff;
      hi = ((hi << 8) | (lo >>> 24)) ^ t.modHi[index]!;
      lo = (lo << 8) ^ t.modLo[index]!;
    }
    t.outHi[b] = hi;
    t.outLo[b] = lo;
  }
  cache.set(polHex, t);
  return t;
}

/** Streaming cut finder: feed buffers in order; each call returns the cut offsets within that buffer. */
export class Chunker {
  private readonly t: Tables;
  private readonly window = new Uint8Array(WINDOW);
  private wpos = 0;
  private hi = 0;
  private lo = 0;
  /** Bytes of the current chunk to pass before hashing starts (a cut cannot come before MIN_SIZE). */
  private pre = 0;
  private count = 0;

  constructor(polynomialHex: string) {
    this.t = tables(polynomialHex);
    this.reset();
  }

  private reset(): void {
    this.window.fill(0);
    this.wpos = 0;
    this.count = 0;
    this.hi = 0;
    this.lo = 0;
    this.slide(1);
    this.pre = MIN_SIZE - WINDOW;
  }

  private slide(b: number): void {
    const out = this.window[this.wpos]!;
    this.window[this.wpos] = b;
    this.hi ^= this.t.outHi[out]!;
    this.lo = this.lo ^ this.t.outLo[out]!;
    this.wpos = (this.wpos + 1) % WINDOW;
    this.update(b);
  }

  private update(b: number): void {
    const t = this.t;
    const index = (this.hi >>> (t.shift - 32)) & 0xff;
    this.hi = ((this.hi << 8) | (this.lo >>> 24)) ^ t.modHi[index]!;
    this.lo = ((this.lo << 8) | b) ^ t.modLo[index]!;
  }

  /** Offsets (exclusive ends) in `buf` where a chunk ends; the data after the last one continues. */
  cuts(buf: Uint8Array): number[] {
    const out: number[] = [];
    const t = this.t;
    const { outHi, outLo, modHi, modLo } = t;
    const shiftHi = t.shift - 32;
    const win = this.window;
    let i = 0;
    while (i < buf.length) {
      if (this.pre > 0) {
        const skip = Math.min(this.pre, buf.length - i);
        this.pre -= skip;
        this.count += skip;
        i += skip;
        continue;
      }
      let { wpos, hi, lo, count } = this;
      // Bytes this call hashes before the chunk must end (the maximum size), and the first
      // index where a cut may fall (the minimum size).
      const end = Math.min(buf.length, i + (MAX_SIZE - count));
      const cutFrom = i + Math.max(0, MIN_SIZE - count) - 1;
      const start = i;
      let cut = -1;
      // Two loops, so the per-byte path has no branch for where the leaving byte comes from:
      // first the bytes whose leaving byte is in the saved window, then those where it is in buf.
      const head = Math.min(end, start + WINDOW);
      for (; i < head; i++) {
        const o = win[wpos]!;
        wpos = (wpos + 1) & (WINDOW - 1);
        hi ^= outHi[o]!;
        lo ^= outLo[o]!;
        const index = (hi >>> shiftHi) & 0xff;
        hi = ((hi << 8) | (lo >>> 24)) ^ modHi[index]!;
        lo = ((lo << 8) | buf[i]!) ^ modLo[index]!;
        if ((lo & SPLIT_MASK) === 0 && i >= cutFrom) {
          cut = i + 1;
          break;
        }
      }
      if (cut < 0) {
        for (; i < end; i++) {
          const o = buf[i - WINDOW]!;
          hi ^= outHi[o]!;
          lo ^= outLo[o]!;
          const index = (hi >>> shiftHi) & 0xff;
          hi = ((hi << 8) | (lo >>> 24)) ^ modHi[index]!;
          lo = ((lo << 8) | buf[i]!) ^ modLo[index]!;
          // a zero in the low 20 bits is rare: the range test runs only then
          if ((lo & SPLIT_MASK) === 0 && i >= cutFrom) {
            cut = i + 1;
            break;
          }
        }
      }
      const hashed = (cut >= 0 ? cut : i) - start;
      count += hashed;
      if (cut < 0 && count >= MAX_SIZE) cut = i;
      if (cut >= 0) {
        out.push(cut);
        this.reset();
        i = cut;
      } else {
        // keep the last 64 bytes seen, oldest first at wpos, for the next call
        this.saveWindow(buf, start, i, wpos);
        this.hi = hi;
        this.lo = lo;
        this.count = count;
      }
    }
    return out;
  }

  /** The window after hashing buf[start, end): its last 64 bytes, with the saved ones before them. */
  private saveWindow(buf: Uint8Array, start: number, end: number, wpos: number): void {
    const n = end - start;
    if (n >= WINDOW) {
      this.window.set(buf.subarray(end - WINDOW, end));
      this.wpos = 0;
      return;
    }
    // fewer than 64 new bytes: the old window rotated, its oldest bytes replaced in order
    const old = this.window;
    const merged = new Uint8Array(WINDOW);
    for (let k = 0; k < WINDOW - n; k++) merged[k] = old[(wpos + k) & (WINDOW - 1)]!;
    merged.set(buf.subarray(start, end), WINDOW - n);
    this.window.set(merged);
    this.wpos = 0;
  }
}
