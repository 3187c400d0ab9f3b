import type { Stats } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import { mapFsError } from './fsErrors';

export type EntryKind = 'folder' | 'file' | 'other' | 'error';

/** One row of a listing or a stat: plain data, safe to send anywhere. */
export interface LocalEntry {
  name: string;
  /** Absolute path. */
  path: string;
  kind: EntryKind;
  size: number;
  mtimeMs: number;
  mode: number;
  /** Set when the entry is a symbolic link (kind is what it points to). */
  symlink?: boolean;
  /** Why the entry could not be read (kind 'error'): broken link, loop, permission. */
  error?: string;
}

function kindOf(st: Stats): EntryKind {
  if (st.isDirectory()) return 'folder';
  if (st.isFile()) return 'file';
  return 'other';
}

/** Stats a path, following links; a link that cannot be followed becomes an 'error' entry. */
export async function statEntry(path: string, name: string): Promise<LocalEntry> {
  let link: Stats;
  try {
    link = await lstat(path);
  } catch (e) {
    return { name, path, kind: 'error', size: 0, mtimeMs: 0, mode: 0, error: mapFsError(e, path).message };
  }
  if (!link.isSymbolicLink()) return fromStats(path, name, link);
  try {
    return { ...fromStats(path, name, await stat(path)), symlink: true };
  } catch (e) {
    return { name, path, kind: 'error', size: 0, mtimeMs: link.mtimeMs, mode: link.mode, symlink: true, error: mapFsError(e, path).message };
  }
}

function fromStats(path: string, name: string, st: Stats): LocalEntry {
  return { name, path, kind: kindOf(st), size: st.size, mtimeMs: st.mtimeMs, mode: st.mode };
}

/** Stats a path and throws a StorageError when it cannot be used. */
export async function statPath(path: string): Promise<LocalEntry> {
  try {
    const st = await stat(path);
    return fromStats(path, path.split('/').pop() ?? path, st);
  } catch (e) {
    throw mapFsError(e, path);
  }
}
