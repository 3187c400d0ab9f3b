import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { s3Uri } from './uri';
import { s3 } from '../lazy';
import { answersOf, confirm } from '../prompts';
import { objectTarget, type ObjectTarget } from './targets';

function label(t: ObjectTarget): string {
  return `s3://${t.bucket}/${t.key}`;
}

async function compareWithLatest(_ctx: Ctx, node: unknown): Promise<void> {
  const t = objectTarget(node, 'a version');
  if (!t.versionId) throw storageError('BadInput', 'Run "Compare with Latest" on a version.');
  const left = s3Uri(t);
  const right = s3Uri({ ...t, versionId: undefined });
  await vscode.commands.executeCommand('vscode.diff', left, right, `${t.key} (${t.versionId.slice(0, 8)}) ↔ latest`);
}

/** VS Code passes (clicked, selection); tests pass the same shape. */
async function compareVersions(_ctx: Ctx, clicked: unknown, selected?: unknown[]): Promise<void> {
  const picked = (selected && selected.length >= 2 ? selected : [clicked]).map((n) => objectTarget(n, 'a version'));
  if (picked.length !== 2) throw storageError('BadInput', 'Select exactly two versions (Ctrl/Cmd-click), then run "Compare Selected Versions".');
  const [a, b] = picked as [ObjectTarget, ObjectTarget];
  await vscode.commands.executeCommand('vscode.diff', s3Uri(a), s3Uri(b), `${a.key} (${a.versionId?.slice(0, 8) ?? 'latest'}) ↔ (${b.versionId?.slice(0, 8) ?? 'latest'})`);
}

async function restoreVersion(ctx: Ctx, node: unknown): Promise<string | undefined> {
  const t = objectTarget(node, 'a version');
  if (!t.versionId) throw storageError('BadInput', 'Run "Restore This Version" on a version.');
  const { connections, tree, fs } = ctx.s3;
  const out = await s3().restoreVersion(await connections.client(t.connectionId), { bucket: t.bucket, key: t.key, versionId: t.versionId });
  ctx.log.info(`restored ${label(t)} version ${t.versionId} as ${out.versionId}`);
  fs.changed(t);
  await tree.changed(t);
  return out.versionId;
}

async function deleteVersion(ctx: Ctx, node: unknown, opts?: unknown): Promise<boolean> {
  const t = objectTarget(node, 'a version');
  if (!t.versionId) throw storageError('BadInput', 'Run "Delete Version Permanently" on a version.');
  if (!(await confirm(`Delete version ${t.versionId} of ${label(t)} permanently? This cannot be undone.`, 'Delete Permanently', answersOf(opts)))) return false;
  const { connections, tree, fs } = ctx.s3;
  await s3().deleteObject(await connections.client(t.connectionId), { bucket: t.bucket, key: t.key, versionId: t.versionId });
  fs.changed(t);
  await tree.changed(t);
  return true;
}

/** On a delete marker removes it; on a deleted object removes the marker on top. */
async function undelete(ctx: Ctx, node: unknown): Promise<void> {
  const t = objectTarget(node, 'a deleted object or a delete marker');
  const { connections, tree, fs } = ctx.s3;
  const client = await connections.client(t.connectionId);
  let markerId = t.versionId;
  if (!markerId) {
    const kv = await s3().listKeyVersions(client, t.bucket, t.key);
    if (!kv.deleted) throw storageError('BadInput', `${label(t)} is not deleted; nothing to undelete.`);
    markerId = kv.versions[0]!.versionId;
  }
  await s3().undelete(client, { bucket: t.bucket, key: t.key, versionId: markerId });
  fs.changed(t);
  await tree.changed(t);
}

export const versionCommands: CommandSpec[] = [
  { id: 's3.compareWithLatest', run: compareWithLatest },
  { id: 's3.compareVersions', run: compareVersions },
  { id: 's3.restoreVersion', run: restoreVersion },
  { id: 's3.deleteVersion', run: deleteVersion },
  { id: 's3.undelete', run: undelete },
];
