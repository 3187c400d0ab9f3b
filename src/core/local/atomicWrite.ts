import { closeSync, constants, fchmodSync, fchownSync, fsync, futimesSync, linkSync, openSync, renameSync, statSync, unlinkSync, write as writeFd, type BigIntStats, type Stats } from 'node:fs';
import { type FileHandle, link, lstat, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { storageError } from '../errors';
import { eachLimited } from '../pool';
import { stillAsSeen, type SeenTarget } from './identity';
import { saveLocks } from './lock';
import { syncFileSystem, type FileSystemSync } from './syncfs';
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
    await syncPath(dirname(target));
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

/** fsync of a folder, or of a closed file, through a descriptor of its own. */
async function syncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
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
  /** Bytes written (a grouped batch syncs once a group holds GROUP_BYTES). */
  bytes: number;
}

/** A closed temp waiting for its group's sync, and the commit that waits for it to be placed. */
interface Queued {
  f: Staged;
  placed: () => void;
  failed: (e: unknown) => void;
}

export interface AtomicBatchOptions {
  /** Fail with Exists instead of replacing an existing file (checked again at the rename). */
  exclusive?: boolean;
  /**
   * Make the files durable a group at a time: one sync of the file system (syncfs) for up to
   * GROUP_FILES files or GROUP_BYTES bytes, instead of one fsync per file, then each is renamed
   * into place. A commit then resolves only once its group is synced and the file is in place:
   * when the group fills, or in finish(), so a caller must not wait for one commit before it
   * begins the next file. Where the file system cannot be synced so (not Linux, no `sync`
   * command, a file system that syncfs.ts does not trust to sync whole, or a sync that fails),
   * each file of the group is fsync'd instead, and so is every later file.
   */
  grouped?: boolean;
  /** The file-system sync a grouped batch uses (default: syncFileSystem). */
  syncer?: FileSystemSync;
}

/**
 * A group's size. Measured on the bench's 10,000 files of about 100 KiB in 350 folders: one fsync
 * each took 7.4-7.6 s to write them (each fsync about 2 ms, and each held up the next file's
 * create), one syncfs per 1,000 files 3.6-4.6 s, and no sync at all 3.4-3.5 s. The bytes bound the
 * page cache a group leaves dirty.
 */
const GROUP_FILES = 1024;
const GROUP_BYTES = 64 << 20;

/**
 * Many files written atomically together (a restore). Each file, as atomicWrite does: a temp
 * beside the target, written, given its mode, owner and times, fsync'd, then renamed over the
 * target (linked, when exclusive, so a file that appeared meanwhile is never replaced). The one
 * difference: each folder is fsync'd once in finish(), after all its files' renames, instead of
 * once per file. So a file's new bytes are always durable before its name points at them, a
 * crash leaves each target old or new (never partial), and every rename is durable once
 * finish() resolves. Unlike atomicWrite, a symlink at the target is replaced, not followed.
 * A grouped batch (see AtomicBatchOptions.grouped) makes a group of files durable with one sync
 * of their file system before it renames any of them, with the same guarantees.
 */
export class AtomicBatch {
  private readonly folders = new Set<string>();
  private readonly pending = new Set<Staged>();
  private readonly umask = process.umask();
  /** Set while files are made durable in groups; dropped at the first sync that fails. */
  private syncer: FileSystemSync | undefined;
  private group: Queued[] = [];
  /** Commits setting meta and closing, not yet queued. */
  private readonly staging = new Set<Promise<unknown>>();
  private groupBytes = 0;
  /** The groups' syncs and renames, one group after the other; never rejects. */
  private flushing: Promise<void> = Promise.resolve();
  /** The file system (device) of each folder a grouped batch writes in, looked up once. */
  private readonly devs = new Map<string, number>();

  constructor(private readonly options: AtomicBatchOptions = {}) {
    this.syncer = options.grouped ? (options.syncer ?? syncFileSystem) : undefined;
  }

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
      bytes: 0,
      async write(data: Uint8Array, position: number): Promise<void> {
        const at = f.fd;
        if (at === undefined || f.state !== 'open') throw new Error(`${path}: written after its commit or discard began`);
        let done = 0;
        f.writing++;
        try {
          while (done < data.length) done += await writeAt(at, data, done, data.length - done, position + done);
          f.bytes += done;
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

  /**
   * Sets meta, makes the bytes durable, closes and renames the file into place; its folder is
   * synced in finish(). In a grouped batch the bytes are made durable with the file's group, and
   * this resolves once the file is in place.
   */
  async commit(file: StagedFile, meta: StagedMeta): Promise<void> {
    const f = this.own(file);
    f.state = 'closing';
    // queued (in a grouped batch) as soon as staged, in the same step: finish() waits for every
    // commit on its way to the group, so none is left out of the last one
    const staged = this.stage(f, meta).then((grouped) => (grouped ? { placed: this.enqueue(f) } : undefined));
    this.staging.add(staged);
    let queued: { placed: Promise<void> } | undefined;
    try {
      queued = await staged;
    } finally {
      this.staging.delete(staged);
    }
    if (queued) await queued.placed;
    else this.place(f);
  }

  /** Adds a closed temp to the group (syncing the group when that fills it); resolves once it is placed. */
  private enqueue(f: Staged): Promise<void> {
    return new Promise<void>((placed, failed) => {
      this.group.push({ f, placed, failed });
      this.groupBytes += f.bytes;
      if (this.group.length >= GROUP_FILES || this.groupBytes >= GROUP_BYTES) void this.flush();
    });
  }

  /**
   * Sets the file's meta and closes it, fsync'd first; in a grouped batch it is left for its
   * group's sync instead (and true comes back).
   */
  private async stage(f: Staged, meta: StagedMeta): Promise<boolean> {
    const grouped = this.syncer !== undefined;
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
      if (grouped) this.devOf(dirname(f.temp));
      else await new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
      f.fd = undefined;
      closeSync(fd);
    } catch (e) {
      await this.drop(f);
      this.pending.delete(f);
      f.release();
      throw mapWriteError(e, f.path, 'write');
    }
    return grouped;
  }

  private devOf(dir: string): number {
    let dev = this.devs.get(dir);
    if (dev === undefined) this.devs.set(dir, (dev = statSync(dir).dev));
    return dev;
  }

  /** Renames a closed, durable temp into place (synchronously, for the conditional replace). */
  private place(f: Staged): void {
    try {
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
      removeTemp(f);
      throw mapWriteError(e, f.path, 'replace');
    } finally {
      this.pending.delete(f);
      f.release();
    }
  }

  /** Syncs and places the files queued so far (after the groups before them); never rejects. */
  private flush(): Promise<void> {
    const files = this.group;
    this.group = [];
    this.groupBytes = 0;
    if (files.length > 0) this.flushing = this.flushing.then(() => this.syncAndPlace(files));
    return this.flushing;
  }

  private async syncAndPlace(files: Queued[]): Promise<void> {
    for (const list of byKey(files, (q) => this.devs.get(dirname(q.f.temp))).values()) {
      const sync = this.syncer;
      let synced = false;
      if (sync) {
        synced = await sync(dirname(list[0]!.f.temp)).then(() => true, () => false);
        // from now on each file is fsync'd, which says precisely what failed, if anything
        if (!synced) this.syncer = undefined;
      }
      await eachLimited(list, 8, async (q) => {
        try {
          if (!synced) await syncPath(q.f.temp).catch((e: unknown) => { this.dropQueued(q.f); throw mapWriteError(e, q.f.path, 'write'); });
          this.place(q.f);
          q.placed();
        } catch (e) {
          q.failed(e);
        }
      });
    }
  }

  /** A queued temp that could not be made durable: removed, and its target left as it was. */
  private dropQueued(f: Staged): void {
    removeTemp(f);
    this.pending.delete(f);
    f.release();
  }

  /** Abandons one file: its temp is removed and the target left as it was. */
  async discard(file: StagedFile): Promise<void> {
    const f = this.own(file);
    await this.drop(f);
    this.pending.delete(f);
    f.release();
  }

  /**
   * Places the files still queued (a grouped batch), then makes every rename durable: one fsync
   * per folder that got a file, or one sync per file system for a grouped batch.
   */
  async finish(): Promise<void> {
    // a commit reaches the group only after its meta and close: wait for those under way
    while (this.staging.size > 0) await Promise.allSettled([...this.staging]);
    await this.flush();
    const dirs = [...this.folders];
    this.folders.clear();
    // one sync per file system while grouped (a folder's device was looked up for its files)
    const each: string[] = [];
    for (const [dev, list] of byKey(dirs, (d) => (this.syncer ? this.devs.get(d) : undefined))) {
      const sync = this.syncer;
      if (dev !== undefined && sync && (await sync(list[0]!).then(() => true, () => false))) continue;
      each.push(...list);
    }
    await eachLimited(each, 8, syncPath);
  }

  /** Discards every file not yet committed, then syncs the folders of those that were. */
  async abort(): Promise<void> {
    // a file whose commit is under way finishes it (or removes its own temp when that fails);
    // finish() places the queued ones of a grouped batch
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
    removeTemp(f);
  }
}

/** A file given up: its temp removed (if still there), its target left as it was. */
function removeTemp(f: Staged): void {
  f.state = 'discarded';
  try {
    unlinkSync(f.temp);
  } catch {
    // gone already
  }
}

/** The items in lists by their key, in the order met. */
function byKey<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const t of items) {
    const list = out.get(key(t));
    if (list) list.push(t);
    else out.set(key(t), [t]);
  }
  return out;
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
