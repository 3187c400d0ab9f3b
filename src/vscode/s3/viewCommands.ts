import * as vscode from 'vscode';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { treeRows } from '../treeRows';
import { nodeId, type S3Node } from './nodes';
import { input } from '../prompts';

async function filterPrefix(ctx: Ctx, node: unknown, prefix?: string): Promise<void> {
  const n = node as S3Node | undefined;
  if (n?.kind !== 's3Bucket') return;
  const { tree } = ctx.s3;
  const value = prefix ?? (await input({ title: `Filter ${n.bucket} by prefix (empty clears)`, value: tree.filters.get(nodeId(n)) ?? '' }));
  if (value === undefined) return;
  if (value) tree.filters.set(nodeId(n), value);
  else tree.filters.delete(nodeId(n));
  tree.refresh(n);
}

async function toggleDeleted(ctx: Ctx, on?: boolean): Promise<boolean> {
  const { tree } = ctx.s3;
  tree.showDeleted = typeof on === 'boolean' ? on : !tree.showDeleted;
  await vscode.commands.executeCommand('setContext', 'storageInspector.s3.showDeleted', tree.showDeleted);
  tree.refresh();
  return tree.showDeleted;
}

export const viewCommands: CommandSpec[] = [
  // For tests and scripts: the rendered rows under a node (label, description, context value).
  { id: 's3.internal.rows', run: async (ctx, node?: S3Node, depth?: number) => treeRows(ctx.s3.tree, await ctx.s3.tree.getChildren(node), depth) },
  // For tests: the nodes redrawn since the last call ('root' for the whole view).
  { id: 's3.internal.redrawn', run: (ctx) => ctx.s3.tree.takeRedrawn() },
  { id: 's3.refresh', run: (ctx, node?: S3Node) => ctx.s3.tree.refresh(node) },
  { id: 's3.loadMore', run: (ctx, node) => ctx.s3.tree.loadMore(node) },
  { id: 's3.retry', run: (ctx, node) => ctx.s3.tree.retry(node) },
  { id: 's3.filterPrefix', run: filterPrefix },
  { id: 's3.showDeleted', run: (ctx) => toggleDeleted(ctx, true) },
  { id: 's3.hideDeleted', run: (ctx) => toggleDeleted(ctx, false) },
];
