import { basename, dirname } from 'node:path';
import { isStorageError, storageError, type StorageError } from '../errors';
import { mapFsError } from './fsErrors';

/** Where in a save the failure happened: the message differs for each. */
export type WriteStage = 'inspect' | 'create' | 'write' | 'replace';

/**
 * A failed save, said for the person who pressed Save: what happened, that the old file is
 * still as it was, and what to do. Codes that are not about saving fall back to mapFsError.
 */
export function mapWriteError(e: unknown, path: string, stage: WriteStage): StorageError {
  if (isStorageError(e)) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const name = basename(path);
  const dir = dirname(path);
  const kept = stage === 'inspect' ? 'Nothing was written.' : `${name} was left as it was and no partial file remains.`;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return storageError('Unavailable', `There is not enough space on the disk (${code === 'EDQUOT' ? 'quota exceeded' : 'device full'}) to save ${path}. ${kept} Free some space or save a copy on another disk, then save again.`, e);
    case 'ENAMETOOLONG':
      return storageError('BadInput', `The name ${name.length > 60 ? `${name.slice(0, 60)}...` : name} (${Buffer.byteLength(name)} bytes) or its path is too long for this file system, so it cannot be saved there. ${kept} Save it under a shorter name.`, e);
    case 'EPERM':
    case 'EACCES':
      if (code === 'EPERM' && stage === 'replace') {
        return storageError('NoPermission', `Permission denied: ${name} may not be replaced (it is marked immutable or append-only, or ${dir} is sticky and the file belongs to another user). ${kept} Check it with "lsattr" and "ls -l", or save a copy elsewhere.`, e);
      }
      if (stage === 'create' || stage === 'replace') {
        return storageError('NoPermission', `Permission denied: ${name} cannot be saved because files cannot be created and renamed in ${dir}. A save writes the new bytes beside the file and renames them over it, so it needs write access to the folder. ${kept} Ask for write access to the folder, or save a copy elsewhere.`, e);
      }
      return storageError('NoPermission', `Permission denied for ${path}, so it cannot be saved. ${kept} Check the file's owner and mode, or save a copy elsewhere.`, e);
    case 'EROFS':
      return storageError('NoPermission', `${path} is on a read-only file system. ${kept} Save a copy elsewhere.`, e);
    case 'EIO':
      return storageError('Unavailable', `The disk reported an I/O error while saving ${path}. ${kept} Check the disk, then save again or save a copy elsewhere.`, e);
    default:
      return mapFsError(e, path);
  }
}
