import { readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { storageError } from '../errors';
import { type DiskState, journalIsHot, sameFile, sha256Hex } from './diskState';
import { applyWal } from './wal';

/** A database file read as SQLite would read it, and the state a later save must find. */
export interface DiskImage {
  bytes: Uint8Array;
  state: DiskState;
  /** Set when what was read cannot be trusted as the committed database; the view is read-only. */
  readOnlyReason?: string;
}

function readErr(e: unknown, name: string): never {
  throw storageError('NotFound', `${name} could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check that the file exists and is readable.`, e);
}

/** The -wal file's bytes, or undefined when there is none. */
function readOptional(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Reads the main file (again if it changed while being read), applies the committed frames of
 * its -wal, and notes a hot journal. Synchronous: it runs in the SQL worker, not the host.
 */
export function readDiskImage(path: string, name: string): DiskImage {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (e) {
    readErr(e, name);
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    let before: Stats;
    let main: Buffer;
    let wal: Uint8Array | undefined;
    try {
      before = statSync(real);
      main = readFileSync(real);
      wal = readOptional(`${real}-wal`);
    } catch (e) {
      readErr(e, name);
    }
    const after = statSync(real);
    // Another writer was busy: read again rather than show a torn file.
    if (!sameFile(before, after) || main.length !== after.size) continue;
    const sha256 = sha256Hex(main);
    const { bytes, scan } = wal ? applyWal(main, wal, name) : { bytes: main, scan: undefined };
    const walMode = bytes.length >= 20 && (bytes[18] === 2 || bytes[19] === 2);
    const state: DiskState = { path: real, dev: after.dev, ino: after.ino, size: after.size, mtimeMs: after.mtimeMs, sha256, walFrames: scan?.committedFrames ?? 0, walMode };
    const image: DiskImage = { bytes, state };
    if (journalIsHot(`${real}-journal`)) {
      image.readOnlyReason = `${name}-journal is a hot journal: another program is writing ${name} or stopped in the middle of a write, so what is shown may be half-written. Close that program (or open the file once with the sqlite3 CLI, which rolls the journal back), then reload.`;
    }
    return image;
  }
  throw storageError('Unavailable', `${name} kept changing while it was read (another program is writing it). Wait until that program is done, then open it again.`);
}
