/**
 * Pulls bytes from an async stream in the sizes a parser asks for. Reads that fall inside one
 * source chunk are views, not copies, so large source chunks go through without copying.
 */
export class ByteReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private pieces: Uint8Array[] = [];
  private buffered = 0;
  private done = false;
  /** Bytes handed out so far, for error messages and limits. */
  consumed = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<void> {
    while (this.buffered < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.length > 0) {
        this.pieces.push(r.value);
        this.buffered += r.value.length;
      }
    }
  }

  private copy(n: number, consume: boolean): Uint8Array {
    const first = this.pieces[0];
    let out: Uint8Array;
    if (first !== undefined && first.length >= n) {
      out = first.subarray(0, n);
      if (consume) {
        if (first.length === n) this.pieces.shift();
        else this.pieces[0] = first.subarray(n);
      }
    } else {
      out = new Uint8Array(n);
      let at = 0;
      let i = 0;
      while (at < n) {
        const p = this.pieces[i] as Uint8Array;
        const take = Math.min(p.length, n - at);
        out.set(p.subarray(0, take), at);
        at += take;
        if (consume) {
          if (take === p.length) this.pieces.shift();
          else this.pieces[0] = p.subarray(take);
        } else i++;
      }
    }
    if (consume) {
      this.buffered -= n;
      this.consumed += n;
    }
    return out;
  }

  /** Up to `n` bytes; fewer only at the end of the stream. */
  async read(n: number): Promise<Uint8Array> {
    await this.fill(n);
    return this.copy(Math.min(n, this.buffered), true);
  }

  /** Up to `n` bytes without consuming them. */
  async peek(n: number): Promise<Uint8Array> {
    await this.fill(n);
    return this.copy(Math.min(n, this.buffered), false);
  }

  /** True when at least one more byte follows. */
  async more(): Promise<boolean> {
    await this.fill(1);
    return this.buffered > 0;
  }

  /**
   * The next line including its '\n', or what is left at the end of the stream (then without
   * '\n'). Undefined when the line would exceed `max` bytes.
   */
  async readLine(max: number): Promise<Uint8Array | undefined> {
    let scanned = 0;
    for (;;) {
      let at = 0;
      for (const p of this.pieces) {
        const i = at + p.length > scanned ? p.indexOf(10, Math.max(0, scanned - at)) : -1;
        if (i >= 0) return at + i + 1 > max ? undefined : this.copy(at + i + 1, true);
        at += p.length;
      }
      scanned = at;
      if (scanned > max) return undefined;
      if (this.done) return this.copy(this.buffered, true);
      await this.fill(this.buffered + 1);
    }
  }

  /** Everything not read yet: what is buffered, then the rest of the source. */
  async *rest(): AsyncIterable<Uint8Array> {
    const pieces = this.pieces;
    this.pieces = [];
    this.buffered = 0;
    yield* pieces;
    for (;;) {
      const r = await this.it.next();
      if (r.done) return;
      yield r.value;
    }
  }

  /** Stops the source early (the consumer gave up). */
  async close(): Promise<void> {
    this.pieces = [];
    this.buffered = 0;
    if (!this.done) {
      this.done = true;
      await this.it.return?.();
    }
  }
}

export async function* fromBytes(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  if (bytes.length > 0) yield bytes;
}

/** Collects a stream, refusing to grow past `max` bytes. */
export async function collect(input: AsyncIterable<Uint8Array>, max = Infinity, onTooLarge?: () => Error): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const p of input) {
    total += p.length;
    if (total > max) throw onTooLarge?.() ?? new RangeError(`output exceeds ${max} bytes`);
    parts.push(p);
  }
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Joins small pieces into blocks of about `size` bytes. Per-piece costs downstream (stream
 * writes, async hops) then stop mattering; one memcpy is far cheaper than thousands of writes.
 */
export async function* coalesce(input: AsyncIterable<Uint8Array>, size = 1 << 20): AsyncIterable<Uint8Array> {
  let parts: Uint8Array[] = [];
  let total = 0;
  for await (const p of input) {
    parts.push(p);
    total += p.length;
    if (total >= size) {
      yield parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts, total);
      parts = [];
      total = 0;
    }
  }
  if (total > 0) yield parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts, total);
}
