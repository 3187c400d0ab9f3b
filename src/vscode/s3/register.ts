import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

/** Registers the s3 view; until it has data its welcome content shows. */
export function register(ctx: Ctx): void {
  ctx.subscribe(
    vscode.window.registerTreeDataProvider<never>('storageInspector.s3', {
      getChildren: () => [],
      getTreeItem: (e) => e,
    }),
  );
}
