import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { followInnerLanguage } from '../fs/innerLanguage';
import { BACKUP_SCHEME } from './uri';

/** Registers the read-only storage-backup file system and its editors' language. */
export function register(ctx: Ctx): void {
  ctx.subscribe(
    vscode.workspace.registerFileSystemProvider(BACKUP_SCHEME, ctx.backup.fs, { isCaseSensitive: true, isReadonly: true }),
    followInnerLanguage(BACKUP_SCHEME),
  );
}
