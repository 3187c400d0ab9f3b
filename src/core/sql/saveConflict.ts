import { StorageError } from '../errors';

/** Why a save onto the database file was refused. */
export type ConflictReason = 'changed' | 'replaced' | 'deleted' | 'wal' | 'journal' | 'inUse';

/** What the extension needs to offer "Save As Copy..." and "Reload" instead of the save. */
export interface SqlConflictDetail {
  kind: 'sqlSaveConflict';
  reason: ConflictReason;
  /** The database file that was not written. */
  path: string;
  /** The choices to offer; the other writer's data is untouched whichever is taken. */
  offers: ['saveAsCopy', 'reload'];
}

const WHY: Record<ConflictReason, (name: string) => string> = {
  changed: (n) => `${n} was changed on disk by another program since it was opened here`,
  replaced: (n) => `${n} was replaced on disk by another file since it was opened here`,
  deleted: (n) => `${n} was deleted or moved since it was opened here`,
  wal: (n) => `${n}-wal holds committed changes that are not yet in ${n} (another program has it open, or did not close it cleanly); writing ${n} now would let SQLite replay them over the save`,
  journal: (n) => `${n}-journal is a hot journal (another program is writing ${n}, or stopped in the middle of a write)`,
  inUse: (n) => `${n} is open in another program (it holds a SQLite lock on the file); replacing the file now would split that program's view of the database from the saved one`,
};

/** A Conflict the extension recognises by `detail.kind` (errors cross bundles, so no instanceof). */
export function saveConflict(reason: ConflictReason, path: string, name: string, holder?: number): StorageError & { detail: SqlConflictDetail } {
  const next = reason === 'inUse'
    ? ' Close the database in that program, then save again (your edits stay here); or Save As Copy to keep them in a new file.'
    : reason === 'wal' || reason === 'journal'
      ? ` Close the other program (or run "PRAGMA wal_checkpoint(TRUNCATE)" in the sqlite3 CLI), then Reload; or Save As Copy to keep your edits in a new file.`
      : ' Save As Copy to keep your edits in a new file, or Reload to see the file as it is now (your unsaved edits are then dropped).';
  const who = holder !== undefined && holder > 0 ? ` (process ${holder})` : '';
  const e = new StorageError('Conflict', `${WHY[reason](name)}${who}, so it was not saved and nothing was written.${next}`);
  const detail: SqlConflictDetail = { kind: 'sqlSaveConflict', reason, path, offers: ['saveAsCopy', 'reload'] };
  return Object.assign(e, { detail });
}

export function isSqlSaveConflict(e: unknown): e is StorageError & { detail: SqlConflictDetail } {
  return (e as { detail?: { kind?: unknown } } | undefined)?.detail?.kind === 'sqlSaveConflict';
}
