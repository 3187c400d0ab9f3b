import { isStorageError, storageError, type StorageError } from '../errors';

/** Turns a node fs error into a StorageError whose message names the path and the next step. */
export function mapFsError(e: unknown, path: string): StorageError {
  if (isStorageError(e)) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return storageError('NotFound', `${path} does not exist (it may have been moved or deleted). Refresh the view or re-add the root.`, e);
    case 'EACCES':
    case 'EPERM':
      return storageError('NoPermission', `Permission denied for ${path}. Check the file's owner and mode, or run the editor as a user who may access it.`, e);
    case 'EROFS':
      return storageError('NoPermission', `${path} is on a read-only file system. Save a copy elsewhere instead.`, e);
    case 'ELOOP':
      return storageError('BadInput', `${path} is a symbolic link loop (a link that points back to itself). Remove or fix the link.`, e);
    case 'EEXIST':
      return storageError('Exists', `${path} already exists. Choose another name or delete it first.`, e);
    case 'ENOTDIR':
      return storageError('BadInput', `A part of ${path} is a file, not a folder. Check the path.`, e);
    case 'EISDIR':
      return storageError('BadInput', `${path} is a folder, not a file. Pick a file.`, e);
    case 'ENOTEMPTY':
      return storageError('Conflict', `${path} is not empty. Empty it first.`, e);
    case 'ENOSPC':
    case 'EDQUOT':
      return storageError('Unavailable', `No space left to write ${path}. Free some disk space and try again; the old file is unchanged.`, e);
    case 'ENAMETOOLONG':
      return storageError('BadInput', `The path ${path} is too long for this file system. Use a shorter name.`, e);
    case 'EMFILE':
    case 'ENFILE':
    case 'EBUSY':
      return storageError('Unavailable', `${path} is busy (${code}). Try again in a moment.`, e);
    default: {
      const msg = e instanceof Error ? e.message : String(e);
      return storageError('Unavailable', `Could not access ${path}: ${msg}. Try again, or check the disk.`, e);
    }
  }
}
