import { storageError } from '../errors';
import type { Backend, FileType } from './backend';
import { open, type MasterKey } from './crypto';
import { parseUnpacked, sha256Hex, unzstd } from './encoding';
import { openMasterKey } from './keys';
import { loadZstd } from './zstdWrite';
import type { Config, IndexFile, Snapshot, Tree } from './model';
import { unquoteName } from './nameQuote';
import type { BlobType, PackedBlob } from './pack';

export interface IndexedBlob extends PackedBlob {
  pack: string;
}

export interface SnapshotEntry extends Snapshot {
  id: string;
}

/** Blobs are at most restic's chunker maximum (8 MiB); trees may be larger but not unbounded. */
const MAX_BLOB = 64 * 1024 * 1024;

/** An open repository: the key, the config and (once loaded) the index. Reads verify everything. */
export class Repository {
  private index: Map<string, IndexedBlob> | undefined;
  /** The index files loaded, for check (which needs to tell them apart). */
  indexFiles: { name: string; file: IndexFile }[] = [];

  private constructor(
    readonly backend: Backend,
    readonly key: MasterKey,
    readonly config: Config,
  ) {}

  /** A repository whose key and config are already known (a fresh init). */
  static withKey(backend: Backend, key: MasterKey, config: Config): Repository {
    return new Repository(backend, key, config);
  }

  static async open(backend: Backend, password: string): Promise<Repository> {
    // The config is read and zstd loaded (the wasm compiled where the native build is absent) while scrypt derives the key on the thread pool.
    const reading = backend.read('config', 'config');
    reading.catch(() => undefined);
    const zstd = loadZstd();
    zstd.catch(() => undefined);
    const { key } = await openMasterKey(backend, password);
    const sealed = await reading;
    const config = JSON.parse(Buffer.from(open(key, sealed, 'config')).toString('utf8')) as Config;
    if (config.version !== 1 && config.version !== 2) throw storageError('BadInput', `${backend.label}: repository version ${config.version} is not supported (1 and 2 are). A newer restic wrote it.`);
    if (!/^[0-9a-f]+$/.test(config.chunker_polynomial)) throw storageError('Integrity', 'config: chunker_polynomial is not hex.');
    // version 2 files and blobs may be compressed: either zstd build decodes several times faster than fzstd
    if (config.version >= 2) await zstd.catch(() => undefined);
    return new Repository(backend, key, config);
  }

  /** Decrypts and parses an unpacked file (index, snapshot, lock), checking its name is its hash. */
  async readJson<T>(type: FileType, name: string): Promise<T> {
    const sealed = await this.backend.read(type, name);
    if (sha256Hex(sealed) !== name) throw storageError('Integrity', `${type}/${name}: its content does not hash to its name, so the file was changed or damaged.`);
    return parseUnpacked<T>(open(this.key, sealed, `${type}/${name}`), `${type}/${name}`);
  }

  async loadIndex(): Promise<Map<string, IndexedBlob>> {
    if (this.index) return this.index;
    const index = new Map<string, IndexedBlob>();
    const files: { name: string; file: IndexFile }[] = [];
    for (const { name } of await this.backend.list('index')) {
      const file = await this.readJson<IndexFile>('index', name);
      files.push({ name, file });
      for (const p of file.packs ?? []) {
        for (const b of p.blobs ?? []) {
          const entry: IndexedBlob = { id: b.id, type: b.type, offset: b.offset, length: b.length, pack: p.id };
          if (b.uncompressed_length !== undefined) entry.uncompressedLength = b.uncompressed_length;
          index.set(blobKey(b.type, b.id), entry);
        }
      }
    }
    this.indexFiles = files;
    this.index = index;
    return index;
  }

  /** Forget the loaded index (after a backup added to it). */
  resetIndex(): void {
    this.index = undefined;
  }

  /** Whether the loaded index has the blob; undefined while the index is not loaded. */
  indexHas(type: BlobType, id: string): boolean | undefined {
    return this.index?.has(blobKey(type, id));
  }

  async lookup(type: BlobType, id: string): Promise<IndexedBlob | undefined> {
    return (await this.loadIndex()).get(blobKey(type, id));
  }

  /** A blob's plaintext: MAC checked, decompressed, and its SHA-256 compared with its id. */
  async loadBlob(type: BlobType, id: string): Promise<Uint8Array> {
    const b = await this.lookup(type, id);
    if (!b) throw storageError('NotFound', `${type} blob ${id.slice(0, 8)} is in no index; the repository is missing data. Run check.`);
    const sealed = await this.backend.read('data', b.pack, { offset: b.offset, length: b.length });
    return decodeBlob(this.key, b, sealed, `${type} blob ${id.slice(0, 8)} in pack ${b.pack.slice(0, 8)}`);
  }

  async loadTree(id: string): Promise<Tree> {
    return this.parseTree(id, await this.loadBlob('tree', id));
  }

  /** A tree read where `b` (an index entry of check's own) says it is, without this repository's index. */
  async loadTreeAt(b: IndexedBlob): Promise<Tree> {
    const sealed = await this.backend.read('data', b.pack, { offset: b.offset, length: b.length });
    return this.parseTree(b.id, decodeBlob(this.key, b, sealed, `tree blob ${b.id.slice(0, 8)} in pack ${b.pack.slice(0, 8)}`));
  }

  private parseTree(id: string, plain: Uint8Array): Tree {
    try {
      const tree = JSON.parse(Buffer.from(plain).toString('utf8')) as Tree;
      for (const n of tree.nodes ?? []) n.name = unquoteName(n.name);
      return tree;
    } catch (e) {
      throw storageError('Integrity', `tree ${id.slice(0, 8)}: its JSON is damaged.`, e);
    }
  }

  /** Every snapshot, oldest first (restic's order for `snapshots`). */
  async snapshots(): Promise<SnapshotEntry[]> {
    const out: SnapshotEntry[] = [];
    for (const { name } of await this.backend.list('snapshots')) {
      out.push({ ...(await this.readJson<Snapshot>('snapshots', name)), id: name });
    }
    return out.sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }

  /** A snapshot by id, unique id prefix, or `latest`. */
  async findSnapshot(ref: string): Promise<SnapshotEntry> {
    const all = await this.snapshots();
    if (ref === 'latest') {
      const last = all[all.length - 1];
      if (!last) throw storageError('NotFound', `${this.backend.label}: has no snapshots yet.`);
      return last;
    }
    const hits = all.filter((s) => s.id.startsWith(ref));
    if (hits.length === 1) return hits[0]!;
    if (hits.length === 0) throw storageError('NotFound', `no snapshot ${ref} in ${this.backend.label}. List them with the snapshots command.`);
    throw storageError('BadInput', `snapshot prefix ${ref} matches ${hits.length} snapshots; give more of the id.`);
  }
}

export function blobKey(type: BlobType, id: string): string {
  return `${type}:${id}`;
}

/** Opens one sealed blob from a pack and proves it is the blob named `b.id`. */
export function decodeBlob(key: MasterKey, b: PackedBlob, sealed: Uint8Array, what: string): Uint8Array {
  let plain = open(key, sealed, what);
  if (b.uncompressedLength !== undefined) {
    if (b.uncompressedLength > MAX_BLOB) throw storageError('TooLarge', `${what}: claims ${b.uncompressedLength} bytes, more than a blob may hold.`);
    plain = unzstd(plain, b.uncompressedLength, what);
    if (plain.length !== b.uncompressedLength) throw storageError('Integrity', `${what}: decompresses to ${plain.length} bytes, not the ${b.uncompressedLength} the index says.`);
  }
  if (sha256Hex(plain) !== b.id) throw storageError('Integrity', `${what}: its content does not hash to its id, so it is damaged.`);
  return plain;
}
