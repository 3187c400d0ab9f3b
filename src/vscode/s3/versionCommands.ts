import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { s3Uri } from './uri';
import { s3 } from '../lazy';
import { answersOf, confirm } from '../prompts';
import { objectTarget, type ObjectTarget } from './targets';
import { describeTarget, done, objectNode, openFollowUp, revealFollowUp, versionText } from './feedback';
import { shortVersionId } from '../../core/timeText';
import { baseName } from './nodes';

function label(t: ObjectTarget): string {
  return `s3://${t.bucket}/${t.key}`;
}

async function compareWithLatest(_ctx: Ctx, node: unknown): Promise<void> {
  const t = objectTarget(node, 'a version');
  if (!t.versionId) throw storageError('BadInput', 'Run "Compare with Latest" on a version.');
  const left = s3Uri(t);
  const right = s3Uri({ ...t, versionId: undefined });
  await vscode.commands.executeCommand('vscode.diff', left, right, `${baseName(t.key)} ${versionText(t.versionId, t.lastModified)} ↔ latest`);
}

/** VS Code passes (clicked, selection); tests pass the same shape. */
async function compareVersions(_ctx: Ctx, clicked: unknown, selected?: unknown[]): Promise<void> {
  const picked = (selected && selected.length >= 2 ? selected : [clicked]).map((n) => objectTarget(n, 'a version'));
  if (picked.length !== 2) throw storageError('BadInput', 'Select exactly two versions (Ctrl/Cmd-click), then run "Compare Selected Versions".');
  const [a, b] = picked as [ObjectTarget, ObjectTarget];
  await vscode.commands.executeCommand('vscode.diff', s3Uri(a), s3Uri(b), `${baseName(a.key)} ${a.versionId ? versionText(a.versionId, a.lastModified) : 'latest'} ↔ ${b.versionId ? versionText(b.versionId, b.lastModified) : 'latest'}`);
}

async function restoreVersion(ctx: Ctx, node: unknown): Promise<string | undefined> {
  const t = objectTarget(node, 'a version');
  if (!t.versionId) throw storageError('BadInput', 'Run "Restore This Version" on a version.');
  const { connections, tree, fs } = ctx.s3;
  const out = await s3().restoreVersion(await connections.client(t.connectionId), { bucket: t.bucket, key: t.key, versionId: t.versionId });
  fs.changed(t);
  await tree.changed(t);
  const latest = out.versionId ? ` as the new latest version ${shortVersionId(out.versionId)}` : ' as the latest version';
  void done(ctx, `Restored ${describeTarget(t)}${latest}. Older versions are kept.`, openFollowUp({ ...t, versionId: undefined }), revealFollowUp(ctx, objectNode(t, true)));
  return out.versionId;
}

async function deleteVersion(ctx: Ctx, node: unknown, opts?: unknown): Promise<boolean> {
  const t = objectTarget(node, 'a version');
  if (!t.versionId) throw storageError('BadInput', 'Run "Delete Version Permanently" on a version.');
  const marker = (node as { isDeleteMarker?: unknown } | undefined)?.isDeleteMarker === true;
  const what = describeTarget(t, marker);
  const question = marker
    ? `Delete the ${what} permanently? If it is the latest, the version under it becomes the latest again.`
    : `Delete ${what} permanently? Its bytes are gone for good; this cannot be undone.`;
  if (!(await confirm(question, 'Delete Permanently', answersOf(opts)))) return false;
  const { connections, tree, fs } = ctx.s3;
  const client = await connections.client(t.connectionId);
  await s3().deleteObject(client, { bucket: t.bucket, key: t.key, versionId: t.versionId });
  fs.changed(t);
  await tree.changed(t);
  const left = (await s3().listKeyVersions(client, t.bucket, t.key)).versions.length;
  const rest = left === 0 ? ' No version of the key is left.' : ` ${left} version(s) of the key are left.`;
  void done(ctx, `Deleted the ${what} permanently.${rest}`, ...(left > 0 ? [revealFollowUp(ctx, objectNode(t, true))] : []));
  return true;
}

/** On the latest delete marker (or a deleted object) asks, then removes that marker. */
async function undelete(ctx: Ctx, node: unknown, opts?: unknown): Promise<boolean> {
  const t = objectTarget(node, 'a deleted object or a delete marker');
  const { connections, tree, fs } = ctx.s3;
  const client = await connections.client(t.connectionId);
  const kv = await s3().listKeyVersions(client, t.bucket, t.key);
  const top = kv.versions[0];
  if (!kv.deleted || !top) throw storageError('BadInput', `${label(t)} is not deleted; nothing to undelete.`);
  if (t.versionId && t.versionId !== top.versionId) {
    throw storageError('BadInput', `That delete marker of ${label(t)} is not the latest, so removing it would bring nothing back. Run "Undelete" on the newest delete marker.`);
  }
  const now = kv.versions[1];
  const result = !now ? 'no version is under it, so the key is then empty' : now.isDeleteMarker ? 'another delete marker is under it, so it stays deleted' : `the version ${versionText(now.versionId, now.lastModified)} is the latest again`;
  const question = `Undelete ${label(t)}? This removes its delete marker ${versionText(top.versionId, top.lastModified)}; ${result}.`;
  if (!(await confirm(question, 'Undelete', answersOf(opts)))) return false;
  await s3().undelete(client, { bucket: t.bucket, key: t.key, versionId: top.versionId });
  fs.changed(t);
  await tree.changed(t);
  void done(ctx, `Undeleted ${label(t)}: removed its delete marker; ${result}.`, ...(now && !now.isDeleteMarker ? [openFollowUp({ ...t, versionId: undefined }), revealFollowUp(ctx, objectNode(t, true))] : []));
  return true;
}

export const versionCommands: CommandSpec[] = [
  { id: 's3.compareWithLatest', run: compareWithLatest },
  { id: 's3.compareVersions', run: compareVersions },
  { id: 's3.restoreVersion', run: restoreVersion },
  { id: 's3.deleteVersion', run: deleteVersion },
  { id: 's3.undelete', run: undelete },
];
