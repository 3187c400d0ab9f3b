import type { Dir, Dirent } from 'node:fs';
import { opendir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { statEntry, type LocalEntry } from './entry';
import { mapFsError } from './fsErrors';
import { isStaleTemp, isTempName } from './tempNames';

/**
 * Where the next page starts. Folders first without holding every entry: the folder is read
 * in two passes, folders then everything else, each in the directory's own order; a page
 * skips what earlier pages returned. Entries are sorted by name within a page, and a folder
 * that fits in one page comes back fully sorted.
 */
export interface ListCursor {
  phase: 'folders' | 'others';
  skip: number;
}

export interface ListPage {
  entries: LocalEntry[];
  /** Present when more entries follow. */
  next?: ListCursor;
}

export interface ListOptions {
  pageSize?: number;
  cursor?: ListCursor;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
export const DEFAULT_PAGE_SIZE = 500;
const YIELD_EVERY = 4096;

/** Lists one page of a folder; memory is bounded by the page size, not the folder's size. */
export async function listPage(dir: string, options: ListOptions = {}): Promise<ListPage> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`options.pageSize: expected a positive integer, got ${pageSize}`);
  let cursor: ListCursor = options.cursor ?? { phase: 'folders', skip: 0 };
  const picked: Dirent[] = [];
  let next: ListCursor | undefined;
  while (picked.length < pageSize) {
    const want = pageSize - picked.length;
    const { dirents, more } = await scan(dir, cursor, want);
    picked.push(...dirents);
    if (more) {
      next = { phase: cursor.phase, skip: cursor.skip + dirents.length };
      break;
    }
    if (cursor.phase === 'others') break;
    cursor = { phase: 'others', skip: 0 };
  }
  const entries = await Promise.all(picked.map((d) => statEntry(join(dir, d.name), d.name)));
  entries.sort(byKindThenName);
  return next ? { entries, next } : { entries };
}

function byKindThenName(a: LocalEntry, b: LocalEntry): number {
  const fa = a.kind === 'folder' ? 0 : 1;
  const fb = b.kind === 'folder' ? 0 : 1;
  return fa - fb || collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * Reads one pass of the folder: skips `cursor.skip` matches, keeps up to `want`, and peeks one more.
 * Entries are drained with readSync from the handle's 1024-entry buffer: the async iterator
 * costs a promise per entry (2-3x slower on a 100k folder). Each refill is one getdents call;
 * the loop yields to the event loop every few thousand entries so the host stays responsive.
 */
async function scan(dir: string, cursor: ListCursor, want: number): Promise<{ dirents: Dirent[]; more: boolean }> {
  let handle: Dir;
  try {
    handle = await opendir(dir, { bufferSize: 1024 });
  } catch (e) {
    throw mapFsError(e, dir);
  }
  const dirents: Dirent[] = [];
  const cleanups: Promise<void>[] = [];
  let seen = 0;
  let more = false;
  try {
    for (let n = 1; ; n++) {
      const d = n === 1 ? await handle.read() : handle.readSync();
      if (!d) break;
      if (n % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      if (isTempName(d.name)) {
        cleanups.push(cleanIfStale(join(dir, d.name), d.name));
        continue;
      }
      // A symlink to a folder counts as a file here: telling needs a stat per entry, and
      // the pass must stay cheap. Its row still shows it as a folder once stat'ed.
      if ((cursor.phase === 'folders') !== d.isDirectory()) continue;
      if (seen++ < cursor.skip) continue;
      if (dirents.length === want) {
        more = true;
        break;
      }
      dirents.push(d);
    }
  } catch (e) {
    throw mapFsError(e, dir);
  } finally {
    await handle.close().catch(() => undefined);
  }
  await Promise.all(cleanups);
  return { dirents, more };
}

async function cleanIfStale(path: string, name: string): Promise<void> {
  try {
    const st = await stat(path);
    if (isStaleTemp(name, st.mtimeMs)) await unlink(path);
  } catch {
    // Gone already, or not ours to remove: the listing hides it either way.
  }
}

