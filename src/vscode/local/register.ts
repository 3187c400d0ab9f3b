import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { followInnerLanguage } from '../fs/innerLanguage';
import { ui } from '../lazy';
import { affects } from '../settings';
import { LOCAL_SCHEME } from './uri';
import { showError } from '../log';

const FORGET_AFTER_MS = 2000;

/** Registers the Local view's badges, the storage-local:// provider, its conflict offer and the settings listener. */
export function register(ctx: Ctx): void {
  const { tree, decorations, fs } = ctx.local;
  const closing = new Map<string, vscode.Disposable>();
  ctx.subscribe(
    vscode.window.registerFileDecorationProvider(decorations),
    vscode.workspace.registerFileSystemProvider(LOCAL_SCHEME, fs, { isCaseSensitive: true }),
    followInnerLanguage(LOCAL_SCHEME),
    // The offer lives in the area's bundle, loaded only when a save lost a race.
    fs.onDidConflict((c) => void ui.local().offerLocalConflict(ctx, c).catch((e: unknown) => showError(ctx, e))),
    // A language change closes and reopens the document: what its read learned (the identity a
    // save is conditional on, the layers, the passphrase) must survive that, so forget a moment later.
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme !== LOCAL_SCHEME) return;
      const key = doc.uri.toString();
      closing.get(key)?.dispose();
      const timer = setTimeout(() => {
        closing.delete(key);
        if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) fs.forget(doc.uri);
      }, FORGET_AFTER_MS);
      closing.set(key, { dispose: () => clearTimeout(timer) });
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      closing.get(doc.uri.toString())?.dispose();
      closing.delete(doc.uri.toString());
    }),
    { dispose: () => closing.forEach((d) => d.dispose()) },
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
