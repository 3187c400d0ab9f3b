import * as vscode from 'vscode';
import { isStorageError, messageOf } from '../../core/errors';

/** The one place that turns a core error into what a FileSystemProvider must throw. */
export function toFileSystemError(e: unknown, uri?: vscode.Uri): Error {
  if (e instanceof vscode.FileSystemError) return e;
  if (!isStorageError(e)) return vscode.FileSystemError.Unavailable(messageOf(e));
  const what = uri ?? e.message;
  switch (e.code) {
    case 'NotFound':
      return vscode.FileSystemError.FileNotFound(withMessage(what, e.message));
    case 'Exists':
      return vscode.FileSystemError.FileExists(withMessage(what, e.message));
    case 'NoPermission':
      return vscode.FileSystemError.NoPermissions(e.message);
    case 'Unavailable':
      return vscode.FileSystemError.Unavailable(e.message);
    default: {
      // Conflict, Integrity, WrongKey, TooLarge, BadInput, Cancelled: keep the sentence, mark the code.
      const fse = vscode.FileSystemError.Unavailable(e.message);
      Object.defineProperty(fse, 'storageCode', { value: e.code });
      return fse;
    }
  }
}

function withMessage(uri: vscode.Uri | string, message: string): string {
  return typeof uri === 'string' ? uri : message;
}
