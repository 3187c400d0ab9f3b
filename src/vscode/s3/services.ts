import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { readSetting } from '../settings';
import { S3Connections } from './connections';
import { S3FileSystem } from './fileSystem';
import type { S3Node } from './nodes';
import { S3Tree } from './tree';

/** The S3 area's state, owned by Ctx and made on first use; commands and register share it. */
export class S3Services {
  readonly connections: S3Connections;
  readonly tree: S3Tree;
  readonly view: vscode.TreeView<S3Node>;
  readonly fs: S3FileSystem;

  constructor(ctx: Ctx) {
    this.connections = new S3Connections(ctx);
    this.tree = new S3Tree(this.connections, () => readSetting('s3.pageSize'));
    this.view = vscode.window.createTreeView<S3Node>('storageInspector.s3', { treeDataProvider: this.tree, canSelectMany: true, showCollapseAll: true });
    this.fs = new S3FileSystem(ctx, this.connections);
    ctx.subscribe(this.view);
  }
}
