import { createHash } from 'node:crypto';
import { sealParts } from './crypto';
import type { SealedBlob } from './blobOps';
import type { IndexFile } from './model';
import { buildHeader, type BlobType, type PackedBlob } from './pack';
import { blobKey, type Repository } from './repository';
import { compressBlob, loadZstd } from './zstdWrite';

/** restic's --compression: auto (compress where it pays), off, max (here: the same as auto). */
export type Compression = 'auto' | 'off' | 'max';

/** restic 0.14's target: a pack is written once it holds 4 MiB. */
const PACK_SIZE = 4 * 1024 * 1024;
/** Pack uploads in flight while the next pack fills: hides fsync and network time behind chunking. */
const IN_FLIGHT = 2;

interface OpenPack {
  parts: Uint8Array[];
  blobs: PackedBlob[];
  size: number;
}

/**
 * Collects new blobs into packs (data and trees apart, as version 2 requires), writes each full
 * pack under its hash, and remembers them for the index. Blobs the repository has are skipped.
 */
export class Packer {
  private readonly open: Record<BlobType, OpenPack> = { data: empty(), tree: empty() };
  private readonly added = new Set<string>();
  /** Packs written and not yet in an index file. */
  readonly written: IndexFile['packs'] = [];
  bytesAdded = 0;
  private readonly inFlight: Promise<void>[] = [];

  private compress: ((b: Uint8Array, level?: number) => Uint8Array) | undefined;
  private readonly compressing: boolean;

  /**
   * `done` is given each pack's parts once the pack is stored (or failed): nothing refers to
   * them any more, so the caller may hand their buffers on (the backup gives them back to the worker threads).
   */
  constructor(
    private readonly repo: Repository,
    compression: Compression = 'auto',
    private readonly done?: (parts: readonly Uint8Array[]) => void,
    /** Pack writes wait for this (the backup's lock); a rejection fails them, and nothing is written. */
    private readonly writesAfter?: Promise<unknown>,
  ) {
    // version 1 has no compressed blobs
    this.compressing = compression !== 'off' && repo.config.version >= 2;
  }

  /** has() without waiting: undefined while the index is not loaded and the blob is not ours. */
  hasNow(type: BlobType, id: string): boolean | undefined {
    return this.added.has(blobKey(type, id)) || this.repo.indexHas(type, id);
  }

  async has(type: BlobType, id: string): Promise<boolean> {
    return this.added.has(blobKey(type, id)) || (await this.repo.lookup(type, id)) !== undefined;
  }

  /** Adds a blob unless it is known; returns whether it was new. */
  async add(type: BlobType, id: string, plain: Uint8Array): Promise<boolean> {
    if (await this.has(type, id)) return false;
    // files are chunked side by side: another add may have taken this blob during the await
    if (this.added.has(blobKey(type, id))) return false;
    this.added.add(blobKey(type, id));
    let packed: Uint8Array | undefined;
    if (this.compressing) {
      this.compress ??= await loadZstd();
      packed = compressBlob(this.compress, plain);
    }
    await this.place({ type, id, ...(packed ? { uncompressedLength: plain.length } : {}) }, sealParts(this.repo.key, packed ?? plain));
    return true;
  }

  /** Whether blobs are stored compressed where it pays (version 2 and compression not off). */
  get compresses(): boolean {
    return this.compressing;
  }

  /** Adds a blob hashed, compressed and sealed elsewhere (a worker thread) unless it is known; returns whether it was new. */
  async addPrepared(type: BlobType, s: SealedBlob): Promise<boolean> {
    if (await this.has(type, s.id)) return false;
    return this.addSealed({ type, id: s.id, ...(s.uncompressedLength !== undefined ? { uncompressedLength: s.uncompressedLength } : {}) }, s.sealed);
  }

  /**
   * Adds a blob already sealed with the repository's key (a repack copies blobs as they are, after
   * checking them); only blobs added through this packer count as known.
   */
  async addSealed(b: BlobRef, sealed: Uint8Array | readonly Uint8Array[]): Promise<boolean> {
    const key = blobKey(b.type, b.id);
    if (this.added.has(key)) return false;
    this.added.add(key);
    await this.place(b, sealed instanceof Uint8Array ? [sealed] : sealed);
    return true;
  }

  /** Appends a new blob's sealed bytes (in parts, joined only as the pack is written) to the open pack of its type. */
  private async place(b: BlobRef, parts: readonly Uint8Array[]): Promise<void> {
    const p = this.open[b.type];
    let length = 0;
    for (const part of parts) length += part.length;
    p.blobs.push({ id: b.id, type: b.type, offset: p.size, length, ...(b.uncompressedLength !== undefined ? { uncompressedLength: b.uncompressedLength } : {}) });
    p.parts.push(...parts);
    p.size += length;
    if (p.size >= PACK_SIZE) await this.flush(b.type);
  }

  async flush(type: BlobType): Promise<void> {
    const p = this.open[type];
    if (p.blobs.length === 0) return;
    this.open[type] = empty();
    // the pack goes to the backend as its parts (a local write gathers them, no joined copy)
    const header = buildHeader(this.repo.key, p.blobs);
    const file = [...p.parts, header];
    const size = p.size + header.length;
    const hash = createHash('sha256');
    for (const part of file) hash.update(part);
    const id = hash.digest('hex');
    const blobs = p.blobs.map((b) => ({ id: b.id, type: b.type, offset: b.offset, length: b.length, ...(b.uncompressedLength !== undefined ? { uncompressed_length: b.uncompressedLength } : {}) }));
    // Listed for the index only once durable, so the index never names a pack that is not there.
    const store = () => this.repo.backend.write('data', id, file);
    const write = (this.writesAfter ? this.writesAfter.then(store) : store()).then(() => {
      this.bytesAdded += size;
      this.written.push({ id, blobs });
    });
    if (this.done) void write.finally(() => this.done!(file)).catch(() => undefined);
    write.catch(() => undefined); // observed by drain(); this only stops an unhandled-rejection report
    this.inFlight.push(write);
    if (this.inFlight.length >= IN_FLIGHT) await this.inFlight.shift();
  }

  /** Every pack written (or the first failure), before the index may name them. */
  async flushAll(): Promise<void> {
    await this.flush('data');
    await this.flush('tree');
    while (this.inFlight.length > 0) await this.inFlight.shift();
  }
}

interface BlobRef {
  type: BlobType;
  id: string;
  uncompressedLength?: number;
}

function empty(): OpenPack {
  return { parts: [], blobs: [], size: 0 };
}
