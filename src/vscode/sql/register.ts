import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

/** Registers the sql view; until it has data its welcome content shows. */
export function register(ctx: Ctx): void {
  ctx.subscribe(
    vscode.window.registerTreeDataProvider<never>('storageInspector.sql', {
      getChildren: () => [],
      getTreeItem: (e) => e,
    }),
  );
}
