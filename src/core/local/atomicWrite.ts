import { constants, renameSync, type BigIntStats, type Stats } from 'node:fs';
import { type FileHandle, link, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { storageError } from '../errors';
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
