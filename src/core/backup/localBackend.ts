import { constants } from 'node:fs';
import { link, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { storageError } from '../errors';
import { mapFsError } from '../local/fsErrors';
import { relativePath, type Backend, type FileInfo, type FileType } from './backend';

/** A repository in a folder, laid out as `restic -r /path` does. */
export class LocalBackend implements Backend {
  readonly label: string;
  constructor(private readonly root: string) {
    this.label = root;
  }

  private path(type: FileType, name: string): string {
    return join(this.root, relativePath(type, name));
  }

  async list(type: FileType): Promise<FileInfo[]> {
    if (type === 'config') return (await this.exists('config', 'config')) ? [{ name: 'config', size: await this.size('config', 'config') }] : [];
    const dir = join(this.root, type);
    const folders = type === 'data' ? await readNames(dir) : [''];
    const out: FileInfo[] = [];
    for (const f of folders) {
      const d = join(dir, f);
      for (const name of await readNames(d)) {
        if (!/^[0-9a-f]{64}$/.test(name)) continue; // temp files of a writer that is still going, or died
        const st = await stat(join(d, name)).catch(() => undefined);
        if (st?.isFile()) out.push({ name, size: st.size });
      }
    }
    return out;
  }

  async read(type: FileType, name: string, range?: { offset: number; length: number }, into?: Uint8Array): Promise<Uint8Array> {
    const p = this.path(type, name);
    let fh;
    try {
      fh = await open(p, 'r');
      const size = (await fh.stat()).size;
      const offset = range ? (range.offset < 0 ? size + range.offset : range.offset) : 0;
      const length = range ? range.length : size;
      if (offset < 0 || offset + length > size) throw storageError('Integrity', `${p}: is ${size} bytes, too short for the ${length} bytes at ${offset} the index names. The file was truncated.`);
      // every byte is read into it below (or the short read cut off), so it need not be zeroed first
      const buf = into && into.length >= length ? into : Buffer.allocUnsafeSlow(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buf.subarray(0, done);
    } catch (e) {
      throw mapFsError(e, p);
    } finally {
      await fh?.close();
    }
  }

  async size(type: FileType, name: string): Promise<number> {
    const p = this.path(type, name);
    try {
      return (await stat(p)).size;
    } catch (e) {
      throw mapFsError(e, p);
    }
  }

  async exists(type: FileType, name: string): Promise<boolean> {
    return stat(this.path(type, name)).then(() => true, () => false);
  }

  async write(type: FileType, name: string, data: Uint8Array | readonly Uint8Array[]): Promise<void> {
    const p = this.path(type, name);
    const dir = dirname(p);
    await mkdir(dir, { recursive: true });
    // A temp name restic's listing ignores, then a link that fails if the name exists: create-only
    // and never a half file under a real name, even when killed mid-write.
    const temp = join(dir, `.tmp-${randomBytes(6).toString('hex')}`);
    try {
      const fh = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o400);
      try {
        await writeAll(fh, data instanceof Uint8Array ? [data] : data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await this.place(temp, p);
      const dh = await open(dir, 'r');
      await dh.sync().finally(() => dh.close());
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw mapFsError(e, p);
    }
  }

  /**
   * Gives the temp its real name only if nothing has that name: link() fails with EEXIST, so of
   * two writers of one name (another process, or restic) exactly one succeeds. Where the file
   * system has no hard links, a check and a rename instead, which another writer could race.
   */
  private async place(temp: string, p: string): Promise<void> {
    const taken = () => storageError('Exists', `${p} already exists; restic files are written once.`);
    try {
      await link(temp, p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw taken();
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
      if (await stat(p).then(() => true, () => false)) throw taken();
      await rename(temp, p);
      return;
    }
    // placed: a temp name left behind (the unlink failing) is ignored by restic's listing
    await unlink(temp).catch(() => undefined);
  }

  async create(): Promise<void> {
    try {
      for (const d of ['keys', 'snapshots', 'index', 'locks']) await mkdir(join(this.root, d), { recursive: true, mode: 0o700 });
      for (let i = 0; i < 256; i++) await mkdir(join(this.root, 'data', i.toString(16).padStart(2, '0')), { recursive: true, mode: 0o700 });
    } catch (e) {
      throw mapFsError(e, this.root);
    }
  }

  async remove(type: FileType, name: string): Promise<void> {
    const p = this.path(type, name);
    try {
      await unlink(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw mapFsError(e, p);
    }
  }
}

/** Up to this many buffers a writev call (Linux's IOV_MAX is 1024). */
const PARTS_PER_WRITE = 512;

/** What writeAll needs of a FileHandle (a test gives one whose writes are short). */
export interface GatherWriter {
  writev(buffers: Uint8Array[]): Promise<{ bytesWritten: number }>;
}

/** Every byte of the parts, in order, with gathered writes; a short write goes on from where it stopped. */
export async function writeAll(fh: GatherWriter, parts: readonly Uint8Array[]): Promise<void> {
  let at = 0;
  let skip = 0; // bytes of parts[at] already written
  while (at < parts.length) {
    const batch = parts.slice(at, at + PARTS_PER_WRITE);
    if (skip > 0) batch[0] = batch[0]!.subarray(skip);
    let { bytesWritten } = await fh.writev(batch);
    if (bytesWritten === 0 && batch.some((b) => b.length > 0)) throw storageError('Unavailable', 'a write made no progress');
    while (at < parts.length && bytesWritten >= parts[at]!.length - skip) {
      bytesWritten -= parts[at]!.length - skip;
      skip = 0;
      at++;
    }
    skip += bytesWritten;
  }
}

async function readNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw mapFsError(e, dir);
  }
}
