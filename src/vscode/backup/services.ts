import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { readSetting } from '../settings';
import { BackupFileSystem } from './fileSystem';
import type { BackupNode } from './nodes';
import { BackupRepositories } from './repositories';
import { BackupTree } from './tree';

/** The Backups area's state, owned by Ctx and made on first use; commands and register share it. */
export class BackupServices {
  readonly repos: BackupRepositories;
  readonly tree: BackupTree;
  readonly view: vscode.TreeView<BackupNode>;
  readonly fs: BackupFileSystem;
  /** Damage the last "Verify" found, on the snapshot files (and repository files) it affects. */
  readonly problems: vscode.DiagnosticCollection;

  constructor(ctx: Ctx) {
    this.repos = new BackupRepositories(ctx);
    this.tree = new BackupTree(this.repos, () => readSetting('backup.pageSize'));
    this.view = vscode.window.createTreeView<BackupNode>('storageInspector.backup', { treeDataProvider: this.tree, showCollapseAll: true });
    this.fs = new BackupFileSystem(ctx, this.repos);
    this.problems = vscode.languages.createDiagnosticCollection('storageInspector.backup');
    ctx.subscribe(this.tree, this.view, this.problems);
  }
}
