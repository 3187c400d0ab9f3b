import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, type Stats } from 'node:fs';

/** What the database file was when it was read: a save is allowed only onto that same file. */
export interface DiskState {
  /** The file itself (a symlink resolved), so a save checks what it will replace. */
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  /** SHA-256 of the main file's bytes as read (before any -wal frames were applied). */
  sha256: string;
  /** Committed -wal frames that were applied when it was read (0 without a log). */
  walFrames: number;
  /** The file's header said WAL mode; a save keeps that mode. */
  walMode: boolean;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function sameFile(a: Pick<Stats, 'dev' | 'ino' | 'size' | 'mtimeMs'>, b: Pick<Stats, 'dev' | 'ino' | 'size' | 'mtimeMs'>): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

const JOURNAL_MAGIC = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);

/**
 * A rollback journal that still has its header is a transaction in progress or one a crash cut
 * short (a "hot journal"): the main file may be half-written until SQLite rolls it back.
 * An empty journal, or one whose header was zeroed (journal_mode=PERSIST), is finished.
 */
export function journalIsHot(journalPath: string): boolean {
  let fd: number;
  try {
    fd = openSync(journalPath, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(8);
    return readSync(fd, head, 0, 8, 0) === 8 && head.equals(JOURNAL_MAGIC);
  } finally {
    closeSync(fd);
  }
}
