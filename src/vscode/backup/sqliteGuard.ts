import { resolve } from 'node:path';
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

/**
 * The backup's `source` for the databases under `folder` that are open in the SQL view: for each,
 * the committed database (the main file with its -wal's committed frames folded in, read as the
 * SQL view's open reads it), copied while the SQL view is not saving it. Other files: undefined,
 * so the backup reads them itself. Undefined when no such database is open.
 */
export function consistentCopies(ctx: GuardCtx, folder: string, read = readCommitted): ((path: string) => Promise<Uint8Array | undefined>) | undefined {
  const dbs = openUnder(ctx, folder);
  if (dbs.length === 0) return undefined;
  const byPath = new Map(dbs.map((db) => [resolve(db.uri.fsPath), db] as const));
  return async (path) => {
    const db = byPath.get(path);
    if (!db) return undefined;
    const image = await ctx.sql.dbs.whileNotSaving(db.uri.fsPath, async () => read(db.uri.fsPath, db.label));
    if (image.readOnlyReason) ctx.log.warn(`backup of ${db.uri.fsPath}: ${image.readOnlyReason}`);
    ctx.log.info(`backing up ${db.uri.fsPath} from a consistent copy (${image.state.walFrames} committed -wal frame(s) folded in)`);
    return image.bytes;
  };
}
