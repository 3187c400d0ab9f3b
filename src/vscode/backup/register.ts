import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { followInnerLanguage } from '../fs/innerLanguage';
import { affects } from '../settings';
import { BACKUP_SCHEME } from './uri';

/** Registers the read-only storage-backup file system, its editors' language, and the page size listener. */
export function register(ctx: Ctx): void {
  ctx.subscribe(
    vscode.workspace.registerFileSystemProvider(BACKUP_SCHEME, ctx.backup.fs, { isCaseSensitive: true, isReadonly: true }),
    followInnerLanguage(BACKUP_SCHEME),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'backup.pageSize')) ctx.backup.tree.repage();
    }),
  );
}
