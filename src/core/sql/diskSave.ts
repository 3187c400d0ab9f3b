import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { atomicWrite } from '../local/atomicWrite';
import { type DiskState, journalIsHot, sha256Hex } from './diskState';
import { lockHolder } from './liveLocks';
import { saveConflict } from './saveConflict';
import { scanWal } from './wal';

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The -wal's committed frames now (0 without a log). */
async function walFrames(dbPath: string): Promise<number> {
  try {
    return scanWal(await readFile(`${dbPath}-wal`)).committedFrames;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
}

/**
 * Refuses (with a Conflict) unless the file is the one that was read: same identity, same
 * bytes, no committed -wal frames, no hot journal beside it, and no other program holding a
 * SQLite lock on it (a WAL-mode connection, even idle; Linux only).
 */
export async function checkUnchanged(state: DiskState, name = basename(state.path)): Promise<void> {
  let now;
  try {
    now = await stat(state.path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw saveConflict('deleted', state.path, name);
    throw e;
  }
  if (now.dev !== state.dev || now.ino !== state.ino) throw saveConflict('replaced', state.path, name);
  // Size and time first (cheap); the content hash catches a change that kept both.
  if (now.size !== state.size || now.mtimeMs !== state.mtimeMs || (await hashFile(state.path)) !== state.sha256) {
    throw saveConflict('changed', state.path, name);
  }
  if ((await walFrames(state.path)) > 0) throw saveConflict('wal', state.path, name);
  if (journalIsHot(`${state.path}-journal`)) throw saveConflict('journal', state.path, name);
  const holder = lockHolder([state.path, `${state.path}-shm`, `${state.path}-wal`]);
  if (holder) throw saveConflict('inUse', state.path, name, holder.pid);
}

/** Keeps the journal mode the file had: sql.js works in memory and writes legacy (1) there. */
export function withJournalMode(bytes: Uint8Array, walMode: boolean): Uint8Array {
  if (bytes.length >= 20) {
    bytes[18] = walMode ? 2 : 1;
    bytes[19] = walMode ? 2 : 1;
  }
  return bytes;
}

/**
 * Writes `bytes` over the database file only if it is still what was read (checked once the new
 * bytes are durable, just before the rename); returns the state the next save must find.
 */
export async function saveOver(state: DiskState, bytes: Uint8Array, name = basename(state.path)): Promise<DiskState> {
  withJournalMode(bytes, state.walMode);
  await atomicWrite(state.path, bytes, { beforeRename: () => checkUnchanged(state, name) });
  const st = await stat(state.path);
  return { ...state, dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, sha256: sha256Hex(bytes), walFrames: 0 };
}

/** Writes the database to a new file (never over an existing one): "Save As Copy...". */
export async function saveCopy(dest: string, bytes: Uint8Array, walMode: boolean): Promise<void> {
  await atomicWrite(dest, withJournalMode(bytes, walMode), { exclusive: true });
}
