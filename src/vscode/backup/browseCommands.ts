import * as vscode from 'vscode';
import { lstat } from 'node:fs/promises';
import { storageError } from '../../core/errors';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { checkOpenSize } from '../fs/documentCodec';
import { applyInnerLanguage } from '../fs/innerLanguage';
import type { DiffChange } from '../../core/backup/diff';
import { formatBytes } from '../../core/local/limits';
import { backup } from '../lazy';
import { folderFor, isLayered } from '../local/open';
import { localUri } from '../local/uri';
import { input, pick, withProgress, type Answers } from '../prompts';
import { changesUnder, diffText } from './diffText';
import type { EntryNode, SnapshotNode } from './nodes';
import { isEntry, isNode, optionsOf, repoIdOf } from './targets';
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

/**
 * The snapshot's file beside the file at the same path on this machine now. Both sides show the
 * same layer: the snapshot side peels gzip / age, so a current file with layers opens through the
 * Local view's decoding storage-local:// (editable there, as "Open Decoded" opens it).
 */
async function compareWithCurrent(ctx: Ctx, arg: unknown, opts?: unknown): Promise<vscode.Uri> {
  const n = fileEntry(arg);
  await checkOpenSize(n.size ?? 0, n.path, optionsOf(opts));
  const current = await lstat(n.path).catch(() => undefined);
  if (!current?.isFile()) throw storageError('NotFound', `${n.path} is not on this machine any more, so there is nothing to compare with. Use "Restore To..." to get the snapshot's copy.`);
  const left = backupUri(n, n.time);
  const right = (await isLayered(n.path)) ? localUri(folderFor(ctx, n.path), n.path) : vscode.Uri.file(n.path);
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

/** A snapshot (or one folder of it) against another: restic diff's list in a results document. */
async function compareTrees(ctx: Ctx, n: SnapshotNode | EntryNode, answers: Answers): Promise<{ changes: DiffChange[]; source: string; target: string } | undefined> {
  const folder = n.kind === 'backupEntry' ? n.path : undefined;
  const other = await pickOtherSnapshot(ctx, n.repoId, n.snapshotId, answers, `Compare ${folder ?? `snapshot ${n.snapshotId.slice(0, 8)}`} with snapshot...`);
  if (!other) return undefined;
  const repo = await ctx.backup.repos.repository(n.repoId);
  const mine = await ctx.backup.repos.snapshot(n.repoId, n.snapshotId);
  const [older, newer] = Date.parse(other.time) < Date.parse(mine.time) ? [other, mine] : [mine, other];
  const result = await withProgress(`Comparing snapshots ${older.id.slice(0, 8)} and ${newer.id.slice(0, 8)}`, (signal) => backup().diffSnapshots(repo, older, newer, { signal, metadata: true }));
  const changes = changesUnder(result.changes, folder);
  const doc = await vscode.workspace.openTextDocument({ content: diffText(result, changes, folder), language: 'plaintext' });
  await vscode.window.showTextDocument(doc, { preview: false });
  return { changes, source: older.id, target: newer.id };
}

/** What "Find in Snapshots..." takes: `text` is the pattern (restic find's), `pick` the match to open. */
async function findInSnapshotsCmd(ctx: Ctx, arg?: unknown, opts?: unknown): Promise<{ hits: { snapshotId: string; paths: string[] }[]; opened?: vscode.Uri } | undefined> {
  const answers = optionsOf(opts);
  const repoId = await repoIdOf(ctx, arg, {}, 'Find in the snapshots of');
  if (!repoId) return undefined;
  const pattern = await input({ title: 'Find in Snapshots: a name or path pattern (restic find\'s: *.conf, /etc/**, notes.txt)', placeHolder: '*.conf', ignoreFocusOut: true }, answers);
  if (!pattern) return undefined;
  const repo = await ctx.backup.repos.repository(repoId);
  const hits = await withProgress(`Finding ${pattern} in the snapshots`, (signal) => backup().findInSnapshots(repo, pattern, { signal }));
  const out = { hits: hits.map((h) => ({ snapshotId: h.snapshot.id, paths: h.matches.map((m) => m.path) })) };
  const total = hits.reduce((k, h) => k + h.matches.length, 0);
  if (total === 0) {
    void vscode.window.showInformationMessage(`No path in any snapshot matches ${pattern}.`);
    return out;
  }
  const items = [...hits].reverse().flatMap((h) =>
    h.matches.map((m) => ({
      label: m.path,
      description: `${snapshotTime(h.snapshot.time)} · ${h.snapshot.id.slice(0, 8)}${m.node.type === 'file' ? ` · ${formatBytes(m.node.size ?? 0)}` : ` · ${m.node.type}`}`,
      entry: { kind: 'backupEntry', repoId, snapshotId: h.snapshot.id, time: h.snapshot.time, path: m.path, type: m.node.type, ...(m.node.size !== undefined ? { size: m.node.size } : {}) } as EntryNode,
    })),
  );
  // Without an answer naming a match, a test gets the hits; a user gets the list to open one from.
  if (answers.text !== undefined && answers.pick === undefined) return out;
  const chosen = await pick(items, { title: `${total} match(es) in ${hits.length} snapshot(s): open one`, matchOnDescription: true }, answers);
  if (!chosen) return out;
  if (chosen.entry.type !== 'file') {
    await ctx.backup.view.reveal(chosen.entry).then(undefined, () => undefined);
    return out;
  }
  return { ...out, opened: await openFile(ctx, chosen.entry, answers) };
}

export const browseCommands: CommandSpec[] = [
  { id: 'backup.findInSnapshots', run: findInSnapshotsCmd },
  { id: 'backup.openFile', run: openFile },
  { id: 'backup.compareWithCurrent', run: compareWithCurrent },
  {
    id: 'backup.compareSnapshots',
    run: (ctx, arg: unknown, opts?: unknown) => {
      if (isEntry(arg) && arg.type === 'file') return compareFile(ctx, arg, optionsOf(opts));
      if ((isEntry(arg) && arg.type === 'dir') || (isNode(arg) && arg.kind === 'backupSnapshot')) return compareTrees(ctx, arg as SnapshotNode | EntryNode, optionsOf(opts));
      throw storageError('BadInput', 'Run "Compare Snapshots..." on a snapshot, a folder or a file of one in the Backups view.');
    },
  },
];
