import { storageError } from '../../core/errors';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { objectNode } from './feedback';
import { nodeId, type S3Node } from './nodes';
import { objectTarget } from './targets';
import { s3UriText } from './uri';

/** What Reveal shows: a folder, an object or a version. */
type RevealNode = Extract<S3Node, { kind: 's3Prefix' | 's3Object' | 's3Version' }>;

/** The row an argument names: a node as it is, or an object / version location made one. */
function nodeOf(arg: unknown): RevealNode {
  const n = arg as Partial<S3Node> | undefined;
  if (n?.kind === 's3Object' || n?.kind === 's3Version' || n?.kind === 's3Prefix') return n as RevealNode;
  const t = objectTarget(arg);
  if (!t.versionId) return objectNode(t);
  return { kind: 's3Version', connectionId: t.connectionId, bucket: t.bucket, key: t.key, versionId: t.versionId, isLatest: false, isDeleteMarker: false };
}

/**
 * Selects a row in the S3 view, expanding the folders above it and loading as many of their
 * pages as it takes to list it. Returns the row's id.
 */
export async function revealInView(ctx: Ctx, node: RevealNode): Promise<string> {
  const listed = await ctx.s3.tree.listDownTo(node);
  if (!listed) {
    throw storageError('NotFound', `${s3UriText(node.bucket, node.kind === 's3Prefix' ? node.prefix : node.key)} is not listed in the S3 view: it may have been deleted, or the bucket's prefix filter (or "Show Deleted" being off) hides it. Refresh the view or clear the filter, then try again.`);
  }
  // VS Code reveals only a row its provider lists, hence the listing above.
  await ctx.s3.view.reveal(listed, { select: true, focus: true, expand: false });
  return nodeId(listed);
}

export const revealCommands: CommandSpec[] = [
  { id: 's3.reveal', run: (ctx, arg: unknown) => revealInView(ctx, nodeOf(arg)) },
  // For tests: the ids of the rows selected in the S3 view.
  { id: 's3.internal.selection', run: (ctx) => ctx.s3.view.selection.map(nodeId) },
];
