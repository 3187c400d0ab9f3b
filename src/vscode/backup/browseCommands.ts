import * as vscode from 'vscode';
import { lstat } from 'node:fs/promises';
import { storageError } from '../../core/errors';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { checkOpenSize } from '../fs/documentCodec';
import { applyInnerLanguage } from '../fs/innerLanguage';
import { pick, type Answers } from '../prompts';
import type { EntryNode } from './nodes';
import { isEntry, optionsOf } from './targets';
import { backupUri, snapshotTime } from './uri';

function fileEntry(arg: unknown): EntryNode {
  if (!isEntry(arg) || arg.type !== 'file') throw storageError('BadInput', 'Run this on a file of a snapshot in the Backups view.');
  return arg;
}

/** Opens a snapshot's file read-only in a tab (decoded when it is gzip or age). */
async function openFile(ctx: Ctx, arg: unknown, opts?: unknown): Promise<vscode.Uri> {
  const n = fileEntry(arg);
  await checkOpenSize(n.size ?? 0, n.path, optionsOf(opts));
  const uri = backupUri(n, n.time);
  const doc = await vscode.workspace.openTextDocument(uri);
  await applyInnerLanguage(doc);
  await vscode.window.showTextDocument(doc, { preview: true });
  ctx.log.info(`opened ${n.path} from snapshot ${n.snapshotId.slice(0, 8)}`);
  return uri;
}

/** The snapshot's file beside the file at the same path on this machine now. */
async function compareWithCurrent(_ctx: Ctx, arg: unknown, opts?: unknown): Promise<vscode.Uri> {
  const n = fileEntry(arg);
  await checkOpenSize(n.size ?? 0, n.path, optionsOf(opts));
  const current = await lstat(n.path).catch(() => undefined);
  if (!current?.isFile()) throw storageError('NotFound', `${n.path} is not on this machine any more, so there is nothing to compare with. Use "Restore To..." to get the snapshot's copy.`);
  const left = backupUri(n, n.time);
  const right = vscode.Uri.file(n.path);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${n.path.slice(n.path.lastIndexOf('/') + 1)} (${snapshotTime(n.time)} ↔ current)`, { preview: true });
  return left;
}

/** Picks another snapshot of the same repository (newest first); `answers.pick` names it by id prefix or time. */
export async function pickOtherSnapshot(ctx: Ctx, repoId: string, not: string, answers: Answers, title: string) {
  const snaps = (await ctx.backup.repos.listSnapshots(repoId)).filter((s) => s.id !== not).reverse();
  if (snaps.length === 0) throw storageError('NotFound', 'The repository has no other snapshot to compare with.');
  const items = snaps.map((s) => ({ label: snapshotTime(s.time), description: `${s.id.slice(0, 8)} · ${s.hostname ?? ''} · ${s.paths.join(', ')}`, snap: s }));
  if (answers.pick !== undefined) return items.find((i) => i.snap.id.startsWith(answers.pick!) || i.label === answers.pick)?.snap;
  return (await pick(items, { title }))?.snap;
}

/** One file in two snapshots, side by side (older on the left). */
async function compareFile(ctx: Ctx, n: EntryNode, answers: Answers): Promise<vscode.Uri | undefined> {
  const other = await pickOtherSnapshot(ctx, n.repoId, n.snapshotId, answers, `Compare ${n.path} with the one in snapshot...`);
  if (!other) return undefined;
  const there = await ctx.backup.fs.nodeAt({ repoId: n.repoId, snapshotId: other.id, path: n.path }).catch(() => undefined);
  if (!there?.node || there.node.type !== 'file') throw storageError('NotFound', `${n.path} is not a file in snapshot ${other.id.slice(0, 8)} (${snapshotTime(other.time)}).`);
  const mine = backupUri(n, n.time);
  const theirs = backupUri({ repoId: n.repoId, snapshotId: other.id, path: n.path }, other.time);
  const [left, right, lt, rt] = Date.parse(other.time) < Date.parse(n.time) ? [theirs, mine, other.time, n.time] : [mine, theirs, n.time, other.time];
  await vscode.commands.executeCommand('vscode.diff', left, right, `${n.path.slice(n.path.lastIndexOf('/') + 1)} (${snapshotTime(lt)} ↔ ${snapshotTime(rt)})`, { preview: true });
  return right;
}

export const browseCommands: CommandSpec[] = [
  { id: 'backup.openFile', run: openFile },
  { id: 'backup.compareWithCurrent', run: compareWithCurrent },
  {
    id: 'backup.compareSnapshots',
    run: (ctx, arg: unknown, opts?: unknown) => {
      if (isEntry(arg) && arg.type === 'file') return compareFile(ctx, arg, optionsOf(opts));
      throw storageError('Unavailable', 'Comparing whole snapshots needs the snapshot diff of the core, which this build does not have yet; compare single files for now.');
    },
  },
];
