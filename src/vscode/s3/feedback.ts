import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import { localDateTime, shortVersionId } from '../../core/timeText';
import type { Ctx } from '../ctx';
import { inform, type FollowUp } from '../prompts';
import { nodeId, type S3ObjectNode, type S3RowNode } from './nodes';
import type { ObjectTarget } from './targets';
import { s3UriText } from './uri';

/** "s3://b/k", or "version 3c268f51 (2026-12-01 14:03) of s3://b/k". */
export function describeTarget(t: ObjectTarget, marker = false): string {
  if (!t.versionId) return s3UriText(t.bucket, t.key);
  return `${marker ? 'delete marker' : 'version'} ${versionText(t.versionId, t.lastModified)} of ${s3UriText(t.bucket, t.key)}`;
}

/** "3c268f51 (2026-12-01 14:03)": the short id, and the time when it is known. */
export function versionText(versionId: string, lastModified?: string | Date): string {
  const when = lastModified === undefined ? undefined : new Date(lastModified);
  return `${shortVersionId(versionId)}${when && !Number.isNaN(when.getTime()) ? ` (${localDateTime(when)})` : ''}`;
}

/** The object's row in the S3 view (the tree finds it by id, whatever else it lists). */
export function objectNode(t: ObjectTarget, versioned = false): S3ObjectNode {
  return { kind: 's3Object', connectionId: t.connectionId, bucket: t.bucket, key: t.key, versioned };
}

/** Opens the latest object (or the version) in a tab. */
export function openFollowUp(t: ObjectTarget): FollowUp {
  return { title: 'Open', run: () => vscode.commands.executeCommand('storageInspector.s3.openObject', t) };
}

/** Shows the row in the S3 view, expanding what is above it. */
export function revealFollowUp(ctx: Ctx, node: S3RowNode): FollowUp {
  return { title: 'Reveal', run: () => revealInView(ctx, node) };
}

/** Where a row is, for messages. */
function whereOf(n: S3RowNode): string {
  if (n.kind === 's3Connection') return `The connection ${n.connectionId}`;
  return s3UriText(n.bucket, n.kind === 's3Bucket' ? '' : n.kind === 's3Prefix' ? n.prefix : n.key);
}

/**
 * Selects a row in the S3 view, expanding the folders above it and loading as many of their
 * pages as it takes to list it. Returns the row's id.
 */
export async function revealInView(ctx: Ctx, node: S3RowNode): Promise<string> {
  const listed = await ctx.s3.tree.listDownTo(node);
  if (!listed) throw storageError('NotFound', `${whereOf(node)} is not listed in the S3 view: it may have been deleted, or the bucket's prefix filter (or "Show Deleted" being off) hides it. Refresh the view or clear the filter, then try again.`);
  // VS Code reveals only a row its provider lists, hence the listing above.
  await ctx.s3.view.reveal(listed, { select: true, focus: true, expand: false });
  return nodeId(listed);
}

/** The end of a command that changed data: what changed, logged and shown with follow-ups. */
export function done(ctx: Ctx, message: string, ...followUps: FollowUp[]): Promise<void> {
  ctx.log.info(message);
  return inform(message, ...followUps);
}
