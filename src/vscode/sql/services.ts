import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { Databases } from './databases';
import type { SqlNode } from './nodes';
import { Queries } from './queries';
import { SqlTree } from './tree';
import { GridPanel } from '../webviews/gridPanel';

/** The SQL area's state, owned by Ctx and made on first use; commands and register share it. */
export class SqlServices {
  readonly dbs: Databases;
  readonly tree: SqlTree;
  readonly queries: Queries;
  readonly view: vscode.TreeView<SqlNode>;
  /** The data-grid and results panels (one module-wide table of them, reached only from here). */
  readonly grids = GridPanel;

  constructor(ctx: Ctx) {
    this.dbs = new Databases(ctx);
    this.tree = new SqlTree(this.dbs);
    this.queries = new Queries(ctx, this.dbs);
    this.view = vscode.window.createTreeView<SqlNode>('storageInspector.sql', { treeDataProvider: this.tree, showCollapseAll: true });
    ctx.subscribe(this.dbs, this.tree, this.queries, this.view);
  }
}
