import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { followInnerLanguage } from '../fs/innerLanguage';
import { affects } from '../settings';
import { LOCAL_SCHEME } from './uri';

/** Registers the Local view's badges, the storage-local:// provider and the settings listener. */
export function register(ctx: Ctx): void {
  const { tree, decorations, fs } = ctx.local;
  ctx.subscribe(
    vscode.window.registerFileDecorationProvider(decorations),
    vscode.workspace.registerFileSystemProvider(LOCAL_SCHEME, fs, { isCaseSensitive: true }),
    followInnerLanguage(LOCAL_SCHEME),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme === LOCAL_SCHEME) fs.forget(doc.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'local.roots')) {
        ctx.local.syncWatchers();
        tree.refresh();
      } else if (affects(e, 'local.pageSize')) {
        tree.refresh();
      }
    }),
  );
}
