import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { LocalDecorations } from './decorations';
import { LocalFileSystem } from './fileSystem';
import type { LocalNode } from './nodes';
import { readSetting } from '../settings';
import { localRoots } from './settings';
import { LocalTreeProvider } from './tree';
import { RootWatchers } from './watch';

/** The Local area's state, owned by Ctx and made on first use; commands and register share it. */
export class LocalServices {
  readonly tree: LocalTreeProvider;
  readonly view: vscode.TreeView<LocalNode>;
  readonly decorations: LocalDecorations;
  /** Problems of the last "Verify Manifest", on the manifest's lines. */
  readonly verifyResults: vscode.DiagnosticCollection;
  readonly fs: LocalFileSystem;
  private readonly watchers: RootWatchers;

  constructor(ctx: Ctx) {
    this.tree = new LocalTreeProvider(localRoots, () => readSetting('local.pageSize'));
    this.view = vscode.window.createTreeView<LocalNode>('storageInspector.local', { treeDataProvider: this.tree, showCollapseAll: true, canSelectMany: false });
    this.decorations = new LocalDecorations(localRoots);
    this.verifyResults = vscode.languages.createDiagnosticCollection('storageInspector.manifest');
    this.fs = new LocalFileSystem(ctx);
    this.watchers = new RootWatchers({
      onFolders: (folders) => this.tree.refresh([...folders].filter((f) => this.tree.isListed(f))),
      onFiles: (files) => {
        this.decorations.update(files);
        this.fs.changedOnDisk(files.map((u) => u.fsPath));
      },
    });
    ctx.subscribe(this.tree, this.view, this.tree.trackExpansion(this.view), this.decorations, this.verifyResults, this.watchers);
    this.syncWatchers();
  }

  /** Starts or stops root watchers after the roots setting changed. */
  syncWatchers(): void {
    this.watchers.sync(localRoots());
  }
}
