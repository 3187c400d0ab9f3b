import * as vscode from 'vscode';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { treeRows } from '../treeRows';
import { objectNode, revealInView } from './feedback';
import { nodeId, type S3Node, type S3RowNode } from './nodes';
import { objectTarget } from './targets';
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

/** The row an object or version argument names (the target rule made it a node, or a location). */
function rowOf(arg: unknown): S3RowNode {
  const n = arg as Partial<S3Node> | undefined;
  if (n?.kind === 's3Object' || n?.kind === 's3Version') return n as S3RowNode;
  const t = objectTarget(arg);
  if (!t.versionId) return objectNode(t);
  return { kind: 's3Version', connectionId: t.connectionId, bucket: t.bucket, key: t.key, versionId: t.versionId, isLatest: false, isDeleteMarker: false };
}

export const viewCommands: CommandSpec[] = [
  // For tests and scripts: the rendered rows under a node (label, description, context value).
  { id: 's3.internal.rows', run: async (ctx, node?: S3Node, depth?: number) => treeRows(ctx.s3.tree, await ctx.s3.tree.getChildren(node), depth) },
  // For tests: the nodes redrawn since the last call ('root' for the whole view).
  { id: 's3.internal.redrawn', run: (ctx) => ctx.s3.tree.takeRedrawn() },
  // For tests: the ids of the rows selected in the S3 view.
  { id: 's3.internal.selection', run: (ctx) => ctx.s3.view.selection.map(nodeId) },
  { id: 's3.reveal', run: (ctx, arg: unknown) => revealInView(ctx, rowOf(arg)) },
  { id: 's3.refresh', run: (ctx, node?: S3Node) => ctx.s3.tree.refresh(node) },
  { id: 's3.loadMore', run: (ctx, node) => ctx.s3.tree.loadMore(node) },
  { id: 's3.retry', run: (ctx, node) => ctx.s3.tree.retry(node) },
  { id: 's3.filterPrefix', run: filterPrefix },
  { id: 's3.showDeleted', run: (ctx) => toggleDeleted(ctx, true) },
  { id: 's3.hideDeleted', run: (ctx) => toggleDeleted(ctx, false) },
];
