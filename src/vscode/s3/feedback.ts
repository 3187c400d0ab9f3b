import * as vscode from 'vscode';
import { localDateTime, shortVersionId } from '../../core/timeText';
import type { Ctx } from '../ctx';
import { inform, type FollowUp } from '../prompts';
import type { S3Node, S3ObjectNode } from './nodes';
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
export function revealFollowUp(ctx: Ctx, node: S3Node): FollowUp {
  return { title: 'Reveal', run: () => ctx.s3.view.reveal(node, { select: true, focus: true, expand: false }) };
}

/** The end of a command that changed data: what changed, logged and shown with follow-ups. */
export function done(ctx: Ctx, message: string, ...followUps: FollowUp[]): Promise<void> {
  ctx.log.info(message);
  return inform(message, ...followUps);
}
