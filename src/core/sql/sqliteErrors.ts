import { StorageError, isStorageError, messageOf, storageError } from '../errors';

/** SQLite's words for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB and their extended codes). */
const CORRUPT = /database disk image is malformed|malformed database schema|file is not a database|database corruption|SQLITE_CORRUPT|SQLITE_NOTADB/i;

export function isCorruption(message: string): boolean {
  return CORRUPT.test(message);
}

/** What a damaged page means for the user: the file, not their input, is at fault. */
export function corruptionMessage(name: string, sqliteSays: string): string {
  return `${name} is damaged: SQLite says "${sqliteSays}" while reading it. Nothing was changed. Run "PRAGMA integrity_check" in the sqlite3 CLI to see which pages are hit, and restore the file from a backup (or recover what is readable with the CLI's ".recover").`;
}

/** An error from SQLite as a StorageError: Integrity for corruption, else the code it has (or BadInput). */
export function fromSqlite(e: unknown, name: string): StorageError {
  const message = messageOf(e);
  if (isCorruption(message) && !(isStorageError(e) && e.code === 'Integrity')) return storageError('Integrity', corruptionMessage(name, message.replace(/\.$/, '')), e);
  if (isStorageError(e)) return e;
  return storageError('BadInput', message, e);
}
