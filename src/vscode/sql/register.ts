import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { sql } from '../lazy';
import { affects } from '../settings';

/** Watches for database files, and warms the SQL engine once the view lists one. */
export function register(ctx: Ctx): void {
  const { tree, view } = ctx.sql;
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{db,sqlite,sqlite3}', false, true, false);
  // New or deleted database files change the discovered list.
  const rediscover = () => tree.refresh(true);
  ctx.subscribe(watcher, watcher.onDidCreate(rediscover), watcher.onDidDelete(rediscover), vscode.workspace.onDidChangeConfiguration((e) => {
    if (affects(e, 'sql')) rediscover();
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
}
