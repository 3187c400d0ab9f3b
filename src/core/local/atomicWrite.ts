import { constants } from 'node:fs';
import { open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mapFsError } from './fsErrors';
import { saveLocks } from './lock';
import { tempPathFor } from './tempNames';

export interface AtomicWriteOptions {
  /** Mode for a new file; an existing file keeps its own. */
  mode?: number;
  /** Fail with Exists instead of replacing an existing file. */
  exclusive?: boolean;
  /** Skip the per-path lock when the caller already holds it. */
  locked?: boolean;
}

/**
 * Replaces `path` so a crash at any moment leaves either the old bytes or the new ones:
 * write a hidden temp file in the same folder, fsync it, rename it over the target,
 * then fsync the folder so the rename itself is durable. Saves to one path are serialized.
 */
export async function atomicWrite(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options: AtomicWriteOptions = {}): Promise<void> {
  if (options.locked) return writeUnlocked(path, data, options);
  return saveLocks.run(path, () => writeUnlocked(path, data, options));
}

async function writeUnlocked(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options: AtomicWriteOptions): Promise<void> {
  const target = await resolveTarget(path);
  let mode = options.mode ?? 0o644;
  try {
    const st = await stat(target);
    if (options.exclusive) throw mapFsError(Object.assign(new Error('exists'), { code: 'EEXIST' }), path);
    if (st.isDirectory()) throw mapFsError(Object.assign(new Error('dir'), { code: 'EISDIR' }), path);
    mode = st.mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw mapFsError(e, path);
  }
  const temp = tempPathFor(target);
  let fh;
  try {
    fh = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (e) {
    throw mapFsError(e, dirname(path));
  }
  let renamed = false;
  try {
    if (data instanceof Uint8Array) {
      await fh.writeFile(data);
    } else {
      for await (const chunk of data) await fh.write(chunk);
    }
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(temp, target);
    renamed = true;
    await syncFolder(dirname(target));
  } catch (e) {
    throw mapFsError(e, path);
  } finally {
    if (fh) await fh.close().catch(() => undefined);
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}

/** Writes through a symlink to the file it names, so the link survives the rename. */
async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw mapFsError(e, path);
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
