import type { Ctx } from '../ctx';

/** Is `path` the folder itself or inside it? */
const inside = (path: string, folder: string) => path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);

/**
 * Databases under `folder` that are open in the SQL view with unsaved edits: the backup holds
 * each file as last saved (the SQL view saves by an atomic rename, so the backup reads one whole
 * version), without those edits.
 */
export function unsavedDatabases(ctx: Ctx, folder: string): string[] {
  return ctx.sql.dbs.all().filter((db) => db.uri.scheme === 'file' && inside(db.uri.fsPath, folder) && db.session.dirty).map((db) => db.uri.fsPath);
}
