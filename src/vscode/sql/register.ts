import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { sql } from '../lazy';
import { SqlTree } from '../views/sqlTree';
import { Databases } from './databases';
import { Queries } from './queries';
import { setSqlServices } from './services';

/** The SQL view: open databases and the workspace's SQLite files, with their schemas. */
export function register(ctx: Ctx): void {
  const dbs = new Databases(ctx);
  const tree = new SqlTree(ctx, dbs);
  const queries = new Queries(ctx, dbs);
  const view = vscode.window.createTreeView('storageInspector.sql', { treeDataProvider: tree, showCollapseAll: true });
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{db,sqlite,sqlite3}', false, true, false);
  // New or deleted database files change the discovered list.
  const rediscover = () => tree.refresh(true);
  ctx.subscribe(dbs, tree, queries, view, watcher, watcher.onDidCreate(rediscover), watcher.onDidDelete(rediscover), vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('storageInspector.sql')) rediscover();
  }));
  // Once the view lists a database, a spare engine starts compiling, so opening it skips that
  // wait. Never during activation: the engine bundle loads only when there is a database to show.
  let warmed = false;
  tree.onDidListDatabases = () => {
    if (warmed || !view.visible) return;
    warmed = true;
    sql().SqlSession.prewarm({ workerPath: ctx.distPath('sql-worker.js'), wasmPath: ctx.distPath('sql-wasm.wasm') })
      .catch((e: unknown) => ctx.log.warn(`SQL engine warm-up failed: ${String(e)}`));
  };
  ctx.subscribe({ dispose: () => warmed && sql().SqlSession.dropSpare() });
  ctx.subscribe({ dispose: () => setSqlServices(undefined) });
  setSqlServices({ dbs, tree, queries });
}
