import { closeSync, constants, fchmodSync, fchownSync, fsync, futimesSync, linkSync, openSync, renameSync, unlinkSync, write as writeFd, type BigIntStats, type Stats } from 'node:fs';
import { type FileHandle, link, lstat, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { storageError } from '../errors';
import { eachLimited } from '../pool';
import { stillAsSeen, type SeenTarget } from './identity';
import { saveLocks } from './lock';
import { tempPathFor } from './tempNames';
import { mapWriteError } from './writeErrors';

export interface AtomicWriteOptions {
  /** Mode for a new file; an existing file keeps its own. */
  mode?: number;
  /** Fail with Exists instead of replacing an existing file. */
  exclusive?: boolean;
  /** Skip the per-path lock when the caller already holds it. */
  locked?: boolean;
  /**
   * Runs when the new bytes are durable in the temp file, just before the rename: the last
   * moment to check that the target is still what the caller read (a conditional save).
   * A throw cancels the save; the target is untouched and the temp file removed.
   * It gets the resolved target (the file a symlink names).
   */
  beforeRename?: (target: string) => Promise<void>;
  /**
   * Runs after `beforeRename`, synchronously, and the rename follows in the same tick: no other
   * code of this process (another writer in the extension host) can run between the two. A throw
   * cancels the save as `beforeRename` does. Keep it cheap (a stat, not a hash).
   */
  checkSync?: (target: string) => void;
}

/** What was written: the new file's identity (its inode is the temp file's, renamed). */
export type WrittenFile = Pick<BigIntStats, 'dev' | 'ino' | 'size' | 'mtimeNs'>;

/**
 * Replaces `path` so a crash at any moment leaves either the old bytes or the new ones:
 * write a hidden temp file in the same folder, fsync it, rename it over the target,
 * then fsync the folder so the rename itself is durable. Saves to one path are serialized.
 * The target keeps its mode and owner; a symlink stays a link and its target gets the bytes.
 */
export async function atomicWrite(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options: AtomicWriteOptions = {}): Promise<WrittenFile> {
  if (options.locked) return writeUnlocked(path, data, options);
  return saveLocks.run(path, () => writeUnlocked(path, data, options));
}

async function writeUnlocked(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options: AtomicWriteOptions): Promise<WrittenFile> {
  const target = await resolveTarget(path);
  const old = await existing(target, path, options);
  const temp = tempPathFor(target);
  let fh: FileHandle | undefined;
  try {
    fh = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (e) {
    throw mapWriteError(e, path, 'create');
  }
  let renamed = false;
  let stage: 'write' | 'replace' = 'write';
  try {
    // Owner first (chown clears setuid/setgid), then the mode: open's mode is cut by the umask.
    if (old) await keepOwner(fh, old);
    await fh.chmod(old ? old.mode & 0o7777 : (options.mode ?? 0o666) & ~process.umask());
    if (data instanceof Uint8Array) {
      await fh.writeFile(data);
    } else {
      for await (const chunk of data) await fh.writeFile(chunk);
    }
    await fh.sync();
    const written = await fh.stat({ bigint: true });
    await fh.close();
    fh = undefined;
    await options.beforeRename?.(target);
    stage = 'replace';
    if (options.exclusive) {
      // link() fails if a file appeared since the check above; rename() would replace it.
      try {
        await link(temp, target);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw storageError('Exists', `${path} already exists. Choose another name or delete it first.`);
        throw e;
      }
    } else if (options.checkSync) {
      options.checkSync(target);
      renameSync(temp, target);
      renamed = true;
    } else {
      await rename(temp, target);
      renamed = true;
    }
    await syncFolder(dirname(target));
    return written;
  } catch (e) {
    throw mapWriteError(e, path, stage);
  } finally {
    if (fh) await fh.close().catch(() => undefined);
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}

async function existing(target: string, path: string, options: AtomicWriteOptions): Promise<Stats | undefined> {
  let st: Stats;
  try {
    st = await stat(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw mapWriteError(e, path, 'inspect');
  }
  if (options.exclusive) throw storageError('Exists', `${path} already exists. Choose another name or delete it first.`);
  if (st.isDirectory()) throw storageError('BadInput', `${path} is a folder, not a file. Pick a file.`);
  return st;
}

/** Root may give the file back to its owner; anyone else may at least keep a group they are in. */
async function keepOwner(fh: FileHandle, old: Stats): Promise<void> {
  try {
    await fh.chown(old.uid, old.gid);
  } catch {
    await fh.chown(-1, old.gid).catch(() => undefined);
  }
}

/** Writes through a symlink to the file it names, so the link survives the rename. */
async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw mapWriteError(e, path, 'inspect');
  }
}

async function syncFolder(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** What a batch sets on a file's temp before it is made durable (so the rename brings it along). */
export interface StagedMeta {
  /** Full mode (permission bits, setuid and sticky included). */
  mode: number;
  /** Set when both are given and the process may (root); otherwise the owner stays the writer. */
  uid?: number;
  gid?: number;
  /** Seconds since the epoch, with fraction. */
  atime?: number;
  mtime?: number;
}

/**
 * The last step of a conditional replace: `temp` is renamed over `path` only if `path` is still
 * the entry seen (checked synchronously, so nothing else in this process runs between the check
 * and the rename); otherwise Conflict, and `path` is kept as it is.
 */
export function renameIfStillAsSeen(temp: string, path: string, seen: Exclude<SeenTarget, 'absent'>): void {
  if (!stillAsSeen(path, seen)) throw storageError('Conflict', `${path} was changed on disk by another program after it was checked; it was kept as it is, not replaced. Look at it, then try again.`);
  renameSync(temp, path);
}

/** A file of a batch being written: its pieces may come in any order, each at its position. */
export interface StagedFile {
  /** The path as given. */
  readonly path: string;
  write(data: Uint8Array, position: number): Promise<void>;
}

interface Staged extends StagedFile {
  temp: string;
  /** The temp's descriptor, until the commit or discard closes it. */
  fd: number | undefined;
  /** Writes in flight: the descriptor is closed only once none is (a closed number can be reused by the next open). */
  writing: number;
  quiet: (() => void)[];
  release: () => void;
  /** 'closing' from the start of its commit: no write may start after that, nor a discard. */
  state: 'open' | 'closing' | 'committed' | 'discarded';
  /** The mode the temp was created with (after the umask): chmod is skipped when it is the one wanted. */
  created: number;
  expect: SeenTarget | undefined;
}

export interface AtomicBatchOptions {
  /** Fail with Exists instead of replacing an existing file (checked again at the rename). */
  exclusive?: boolean;
}

/**
 * Many files written atomically together (a restore). Each file, as atomicWrite does: a temp
 * beside the target, written, given its mode, owner and times, fsync'd, then renamed over the
 * target (linked, when exclusive, so a file that appeared meanwhile is never replaced). The one
 * difference: each folder is fsync'd once in finish(), after all its files' renames, instead of
 * once per file. So a file's new bytes are always durable before its name points at them, a
 * crash leaves each target old or new (never partial), and every rename is durable once
 * finish() resolves. Unlike atomicWrite, a symlink at the target is replaced, not followed.
 */
export class AtomicBatch {
  private readonly folders = new Set<string>();
  private readonly pending = new Set<Staged>();
  private readonly umask = process.umask();

  constructor(private readonly options: AtomicBatchOptions = {}) {}

  /**
   * Creates the file's temp (holding the path's save lock until commit or discard), with the
   * permission bits of `mode` (cut by the umask; commit sets the exact mode when that differs).
   * With `expect`, the commit replaces the target only if it is still as seen then ('absent': it
   * must not exist); otherwise it fails with Conflict (Exists when a file appeared) and the target
   * is kept as it is.
   */
  async begin(path: string, mode = 0o600, expect?: SeenTarget): Promise<StagedFile> {
    const createMode = mode & 0o777;
    const release = await holdLock(path);
    let fd: number;
    const temp = tempPathFor(path);
    try {
      if (!this.options.exclusive) {
        const st = await lstatOrUndefined(path);
        if (st?.isDirectory()) throw storageError('BadInput', `${path} is a folder, not a file. Pick a file.`);
      }
      // A batch makes thousands of files: the quick calls on a file (create, mode, times, close,
      // link) are made directly, each a single system call, and only its writes and fsync go to
      // the thread pool. Measured on a 10,000-file restore, handing each call to the pool cost
      // the main thread about 2 s in dispatch and context switches.
      try {
        fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, createMode);
      } catch (e) {
        throw mapWriteError(e, path, 'create');
      }
    } catch (e) {
      release();
      throw mapWriteError(e, path, 'inspect');
    }
    const f: Staged = {
      path,
      temp,
      fd,
      writing: 0,
      quiet: [],
      release,
      state: 'open',
      created: createMode & ~this.umask,
      expect,
      async write(data: Uint8Array, position: number): Promise<void> {
        const at = f.fd;
        if (at === undefined || f.state !== 'open') throw new Error(`${path}: written after its commit or discard began`);
        let done = 0;
        f.writing++;
        try {
          while (done < data.length) done += await writeAt(at, data, done, data.length - done, position + done);
        } catch (e) {
          throw mapWriteError(e, path, 'write');
        } finally {
          if (--f.writing === 0) for (const wake of f.quiet.splice(0)) wake();
        }
      },
    };
    this.pending.add(f);
    return f;
  }

  /** Sets meta, makes the bytes durable, closes and renames the file into place; its folder is synced in finish(). */
  async commit(file: StagedFile, meta: StagedMeta): Promise<void> {
    const f = this.own(file);
    let stage: 'write' | 'replace' = 'write';
    f.state = 'closing';
    try {
      await settled(f);
      const fd = f.fd!;
      // owner first (chown clears setuid/setgid), times last (after every write); each call
      // skipped when it would change nothing (a restore makes thousands of files)
      if (meta.uid !== undefined && meta.gid !== undefined && process.getuid?.() === 0 && !(await this.ownedAlready(f.path, meta.uid, meta.gid))) {
        try {
          fchownSync(fd, meta.uid, meta.gid);
        } catch {
          // an owner that cannot be set (another file system's rules): the file keeps ours
        }
      }
      // chown clears only setuid/setgid, which the temp never had
      if ((meta.mode & 0o7777) !== f.created) fchmodSync(fd, meta.mode & 0o7777);
      if (meta.mtime !== undefined) futimesSync(fd, meta.atime ?? meta.mtime, meta.mtime);
      await new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
      f.fd = undefined;
      closeSync(fd);
      stage = 'replace';
      if (this.options.exclusive || f.expect === 'absent') {
        try {
          linkSync(f.temp, f.path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw storageError('Exists', `${f.path} already exists. Choose another name or delete it first.`);
          throw e;
        }
        try {
          unlinkSync(f.temp);
        } catch {
          // placed; only the temp's extra name is left behind
        }
      } else if (f.expect) {
        renameIfStillAsSeen(f.temp, f.path, f.expect);
      } else {
        renameSync(f.temp, f.path);
      }
      f.state = 'committed';
      this.folders.add(dirname(f.path));
    } catch (e) {
      await this.drop(f);
      throw mapWriteError(e, f.path, stage);
    } finally {
      this.pending.delete(f);
      f.release();
    }
  }

  /** Abandons one file: its temp is removed and the target left as it was. */
  async discard(file: StagedFile): Promise<void> {
    const f = this.own(file);
    await this.drop(f);
    this.pending.delete(f);
    f.release();
  }

  /** Makes every rename durable: one fsync per folder that got a file. */
  async finish(): Promise<void> {
    const dirs = [...this.folders];
    this.folders.clear();
    await eachLimited(dirs, 8, syncFolder);
  }

  /** Discards every file not yet committed, then syncs the folders of those that were. */
  async abort(): Promise<void> {
    // a file whose commit is under way finishes it (or removes its own temp when that fails)
    await Promise.all([...this.pending].filter((f) => f.state === 'open').map((f) => this.discard(f)));
    await this.finish().catch(() => undefined);
  }

  private readonly setgidFolders = new Map<string, Promise<boolean>>();

  /**
   * Whether a new file in path's folder is already owned by uid:gid: it gets this process's
   * ids, or the folder's group when the folder is setgid (looked up once per folder).
   */
  private async ownedAlready(path: string, uid: number, gid: number): Promise<boolean> {
    if (uid !== process.geteuid?.()) return false;
    const dir = dirname(path);
    let setgid = this.setgidFolders.get(dir);
    if (!setgid) this.setgidFolders.set(dir, (setgid = stat(dir).then((st) => (st.mode & 0o2000) !== 0, () => true)));
    return !(await setgid) && gid === process.getegid?.();
  }

  private own(file: StagedFile): Staged {
    const f = file as Staged;
    if (!this.pending.has(f) || f.state !== 'open') throw new Error(`${file.path}: not an open file of this batch`);
    return f;
  }

  private async drop(f: Staged): Promise<void> {
    f.state = 'discarded';
    await settled(f);
    const fd = f.fd;
    f.fd = undefined;
    try {
      if (fd !== undefined) closeSync(fd);
    } catch {
      // closed already, or a close error on a temp that is removed anyway
    }
    try {
      unlinkSync(f.temp);
    } catch {
      // gone already
    }
  }
}

/** Resolves once the file has no write in flight. */
function settled(f: Staged): Promise<void> {
  return f.writing === 0 ? Promise.resolve() : new Promise((resolve) => f.quiet.push(resolve));
}

/** pwrite through the thread pool: the bytes written (possibly fewer than asked). */
function writeAt(fd: number, data: Uint8Array, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => writeFd(fd, data, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))));
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Takes the path's save lock and hands back its release. */
function holdLock(path: string): Promise<() => void> {
  return new Promise((entered) => {
    void saveLocks.run(path, () => new Promise<void>((release) => entered(release)));
  });
}
