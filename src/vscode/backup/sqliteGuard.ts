import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BackupSource } from '../../core/backup/backup';
import type { DiskImage } from '../../lazy/sql';
import type { Ctx } from '../ctx';
import { sql } from '../lazy';

/** Is `path` the folder itself or inside it? */
const inside = (path: string, folder: string) => path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);

/** What the guard needs of Ctx: the SQL view's open databases (and their save lock), and the log. */
type GuardCtx = { sql: { dbs: Pick<Ctx['sql']['dbs'], 'all' | 'whileNotSaving'> }; log: Pick<Ctx['log'], 'info' | 'warn'> };

/** Reads a database as the SQL view's open does (the sql bundle, which is loaded when a database is open). */
const readCommitted = (path: string, name: string): DiskImage => sql().readDiskImage(path, name);

/** Local databases open in the SQL view, under `folder`. */
function openUnder(ctx: GuardCtx, folder: string) {
  const root = resolve(folder);
  return ctx.sql.dbs.all().filter((db) => db.uri.scheme === 'file' && inside(resolve(db.uri.fsPath), root));
}

/**
 * Databases under `folder` that are open in the SQL view with unsaved edits: the backup holds
 * each file as last saved (its committed state on disk), without those edits.
 */
export function unsavedDatabases(ctx: GuardCtx, folder: string): string[] {
  return openUnder(ctx, folder).filter((db) => db.session.dirty).map((db) => db.uri.fsPath);
}

/** The -wal beside a database as it is now (undefined when there is none). */
async function walNow(dbPath: string): Promise<Uint8Array | undefined> {
  return readFile(`${dbPath}-wal`).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
}

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => (a === undefined || b === undefined ? a === b : Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b));

/** One read of a database: the committed copy, and the -wal it was made from. */
interface Copy {
  main?: Uint8Array;
  wal?: Uint8Array;
}

/**
 * The backup's `source` for the databases under `folder` that are open in the SQL view: for each,
 * the committed database (the main file with its -wal's committed frames folded in, read as the
 * SQL view's open reads it), copied while the SQL view is not saving it. Its -wal goes in as it was
 * at that same read, so the two restored side by side are one state (SQLite replays frames the copy
 * already holds), whichever the backup asks for first and even when another program checkpoints
 * in between. Other files: undefined, so the backup reads them itself. It claims each database and
 * its -wal, so the backup asks for them even when their metadata matches the parent snapshot.
 * Undefined when no such database is open.
 */
export function consistentCopies(ctx: GuardCtx, folder: string, read = readCommitted): BackupSource | undefined {
  const dbs = openUnder(ctx, folder);
  if (dbs.length === 0) return undefined;
  const byPath = new Map(dbs.map((db) => [resolve(db.uri.fsPath), db] as const));
  const copies = new Map<string, Promise<Copy>>();
  const copyOf = (path: string, label: string): Promise<Copy> => {
    let copy = copies.get(path);
    if (!copy) {
      copy = ctx.sql.dbs.whileNotSaving(path, async () => {
        // The -wal read before and after the copy: equal, it is the one the copy was made from.
        let before = await walNow(path);
        for (let attempt = 1; ; attempt++) {
          const image = read(path, label);
          const after = await walNow(path);
          if (same(before, after) || attempt === 3) {
            if (image.readOnlyReason) ctx.log.warn(`backup of ${path}: ${image.readOnlyReason}`);
            ctx.log.info(`backing up ${path} from a consistent copy (${image.state.walFrames} committed -wal frame(s) folded in)`);
            return { main: image.bytes, wal: after ?? new Uint8Array(0) };
          }
          before = after;
        }
      });
      copies.set(path, copy);
    }
    return copy;
  };
  /** Hands out one part of a copy, and lets go of it (a copy holds a whole database). */
  const take = async (path: string, label: string, part: keyof Copy): Promise<Uint8Array | undefined> => {
    const copy = await copyOf(path, label);
    const bytes = copy[part];
    delete copy[part];
    return bytes;
  };
  const ownerOfWal = (path: string) => (path.endsWith('-wal') ? byPath.get(path.slice(0, -'-wal'.length)) : undefined);
  const source: BackupSource = async (path) => {
    const db = byPath.get(path);
    if (db) return take(db.uri.fsPath, db.label, 'main');
    const owner = ownerOfWal(path);
    return owner ? take(owner.uri.fsPath, owner.label, 'wal') : undefined;
  };
  // A commit may change only the -wal, leaving the main file's size and mtime as the parent
  // snapshot has them: both always come from the copy, so the main file holds every commit.
  source.claims = (path) => byPath.has(path) || ownerOfWal(path) !== undefined;
  return source;
}
