import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { followInnerLanguage } from '../fs/innerLanguage';
import { offerConflictChoices } from './conflict';
import { S3_SCHEME } from './uri';

/** Registers the storage-s3 file system, its editors' language and the conflict prompt. */
export function register(ctx: Ctx): void {
  const { tree, fs } = ctx.s3;
  ctx.subscribe(
    vscode.workspace.registerFileSystemProvider(S3_SCHEME, fs, { isCaseSensitive: true }),
    followInnerLanguage(S3_SCHEME),
    fs.onDidConflict((c) => void offerConflictChoices(ctx, c)),
    fs.onDidChangeFile(() => tree.refresh()),
  );
}
