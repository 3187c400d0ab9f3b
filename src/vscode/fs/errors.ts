import * as vscode from 'vscode';
import { isStorageError, messageOf } from '../../core/errors';

/** The one place that turns a core error into what a FileSystemProvider must throw. */
export function toFileSystemError(e: unknown): Error {
  if (e instanceof vscode.FileSystemError) return e;
  if (!isStorageError(e)) return vscode.FileSystemError.Unavailable(messageOf(e));
  switch (e.code) {
    case 'NotFound':
      return vscode.FileSystemError.FileNotFound(e.message);
    case 'Exists':
      return vscode.FileSystemError.FileExists(e.message);
    case 'NoPermission':
      return vscode.FileSystemError.NoPermissions(e.message);
    case 'Unavailable':
      return vscode.FileSystemError.Unavailable(e.message);
    default: {
      // Conflict, Integrity, WrongKey, TooLarge, BadInput, Cancelled: VS Code shows the sentence.
      return vscode.FileSystemError.Unavailable(e.message);
    }
  }
}
