import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { LOCAL_SCHEME, LocalFileSystem } from '../fs/localFs';
import { followInnerLanguage } from '../innerLanguage';
import { LocalTreeProvider } from '../views/localTree';
import type { LocalNode } from '../views/localNodes';
import { LocalDecorations } from './decorations';
import { localSettings } from './settings';
import { setLocalState } from './state';
import { RootWatchers } from './watch';

/** Registers the Local view, its badges, watchers, results list and the storage-local:// provider. */
export function register(ctx: Ctx): void {
  const settings = localSettings(ctx);
  const tree = new LocalTreeProvider(settings.roots, settings.pageSize);
  const view = vscode.window.createTreeView<LocalNode>('storageInspector.local', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: false });
  const decorations = new LocalDecorations(settings.roots);
  const verifyResults = vscode.languages.createDiagnosticCollection('storageInspector.manifest');
  const fs = new LocalFileSystem(ctx);
  const watchers = new RootWatchers({
    onFolders: (folders) => tree.refresh([...folders].filter((f) => tree.isListed(f))),
    onFiles: (files) => {
      decorations.update(files);
      fs.changedOnDisk(files.map((u) => u.fsPath));
    },
  });
  const syncWatchers = () => watchers.sync(settings.roots());
  syncWatchers();
  setLocalState(ctx, { tree, view: view as vscode.TreeView<unknown>, decorations, verifyResults, syncWatchers });

  ctx.subscribe(
    tree,
    view,
    decorations,
    verifyResults,
    watchers,
    vscode.window.registerFileDecorationProvider(decorations),
    vscode.workspace.registerFileSystemProvider(LOCAL_SCHEME, fs, { isCaseSensitive: true }),
    followInnerLanguage(LOCAL_SCHEME),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme === LOCAL_SCHEME) fs.forget(doc.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('storageInspector.local.roots')) {
        syncWatchers();
        tree.refresh();
      } else if (e.affectsConfiguration('storageInspector.local.pageSize')) {
        tree.refresh();
      }
    }),
  );
}
