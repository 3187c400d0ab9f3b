import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import type { FileIdentity } from '../../core/local/identity';
import type { BulkProgress, BulkReport } from '../../core/s3/bulk';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { s3 } from '../lazy';
import { answersOf, choose, confirm, inform, input, pickWithActions, withProgress, type Answers, type ItemAction } from '../prompts';
import { announce } from './bulkReport';
import { objectNode, revealInView } from './feedback';
import type { S3Node } from './nodes';
import { s3UriText } from './uri';

/** What a bulk command returns (tests read it): the report and its document. */
export interface BulkOutcome {
  report: BulkReport;
  reportUri: string;
}

interface Selection {
  connectionId: string;
  bucket: string;
  /** Objects picked one by one. */
  keys: string[];
  /** Folders picked: everything under each. */
  prefixes: string[];
  versioned: boolean;
}

type Container = { connectionId: string; bucket: string; prefix: string; versioned: boolean };

/**
 * The clicked node and the view's selection (VS Code passes both to a tree command): objects and
 * folders of one bucket. The clicked node alone when it is not part of the selection.
 */
export function selectionOf(node: unknown, selected: unknown): Selection {
  const all = (Array.isArray(selected) && selected.length > 0 ? selected : [node]) as S3Node[];
  const first = all.find((n) => n && (n.kind === 's3Object' || n.kind === 's3Prefix'));
  if (!first || (first.kind !== 's3Object' && first.kind !== 's3Prefix')) throw storageError('BadInput', 'Select objects or folders in the S3 view first.');
  const sel: Selection = { connectionId: first.connectionId, bucket: first.bucket, keys: [], prefixes: [], versioned: first.versioned };
  for (const n of all) {
    if (n.kind !== 's3Object' && n.kind !== 's3Prefix') continue;
    if (n.connectionId !== sel.connectionId || n.bucket !== sel.bucket) {
      throw storageError('BadInput', `The selection spans buckets (s3://${sel.bucket} and s3://${n.bucket}). Select objects of one bucket at a time.`);
    }
    if (n.kind === 's3Object') sel.keys.push(n.key);
    else sel.prefixes.push(n.prefix);
  }
  return sel;
}

function containerOf(node: unknown): Container {
  const n = node as S3Node | undefined;
  if (n?.kind === 's3Bucket') return { connectionId: n.connectionId, bucket: n.bucket, prefix: '', versioned: n.versioning === 'Enabled' || n.versioning === 'Suspended' };
  if (n?.kind === 's3Prefix') return { connectionId: n.connectionId, bucket: n.bucket, prefix: n.prefix, versioned: n.versioned };
  throw storageError('BadInput', 'Run this on a bucket or folder in the S3 view.');
}

/** The selection and every key it names: the picked objects, and what lies under each picked folder. */
async function selectedKeys(ctx: Ctx, node: unknown, selected: unknown, verb: string): Promise<{ sel: Selection; keys: string[] }> {
  const sel = selectionOf(node, selected);
  const client = await ctx.s3.connections.client(sel.connectionId);
  const keys = new Set(sel.keys);
  for (const p of sel.prefixes) for (const k of await s3().listKeys(client, sel.bucket, p)) keys.add(k);
  if (keys.size === 0) throw storageError('NotFound', `The selected folders hold no objects; nothing to ${verb}. Refresh the view.`);
  return { sel, keys: [...keys] };
}

/** A bulk run's progress as the notification takes it: the item under way (else n / total) and the step since the last call. */
function stepsOf(progress: (message: string, increment?: number) => void): BulkProgress {
  let last = 0;
  return (n, total, current) => {
    progress(current ?? `${n} / ${total}`, total ? ((n - last) / total) * 100 : 0);
    last = n;
  };
}

/** `a`, `b`, `c` and 9 more: the keys a question names. */
function firstFew(keys: readonly string[], n = 3): string {
  const shown = keys.slice(0, n).join(', ');
  return keys.length > n ? `${shown} and ${keys.length - n} more` : shown;
}

/** Re-lists the folders the changed keys sit in (the whole view when they are many). */
async function redraw(ctx: Ctx, connectionId: string, bucket: string, keys: readonly string[]): Promise<void> {
  const folders = new Set(keys.map((k) => k.slice(0, k.lastIndexOf('/') + 1)));
  if (folders.size > 20) return ctx.s3.tree.refresh();
  await Promise.all([...folders].map((f) => ctx.s3.tree.changed({ connectionId, bucket, key: `${f}x` })));
}

async function folderOf(args: { folder?: string } | undefined, title: string): Promise<string | undefined> {
  return args?.folder ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title }))?.[0]?.fsPath;
}

/** Deletes the selected objects (and folders' contents) after one question naming the count and the first keys. */
async function deleteSelected(ctx: Ctx, node: unknown, selected?: unknown, opts?: Answers): Promise<BulkOutcome | undefined> {
  const answers = answersOf(opts ?? selected);
  const { sel, keys } = await selectedKeys(ctx, node, selected, 'delete');
  const how = sel.versioned
    ? 'In this versioned bucket each gets a delete marker; "Undelete" brings it back.'
    : 'The bucket is not versioned, so this cannot be undone.';
  if (!(await confirm(`Delete ${keys.length} object(s) from s3://${sel.bucket}: ${firstFew(keys)}? ${how}`, 'Delete', answers))) return undefined;
  const client = await ctx.s3.connections.client(sel.connectionId);
  const report = await withProgress(`Deleting ${keys.length} object(s) from s3://${sel.bucket}`, (signal, progress) =>
    s3().deleteKeys(client, { bucket: sel.bucket, keys, signal, onProgress: stepsOf(progress) }),
  );
  for (const k of report.done.slice(0, 1000)) ctx.s3.fs.changed({ connectionId: sel.connectionId, bucket: sel.bucket, key: k });
  await redraw(ctx, sel.connectionId, sel.bucket, report.done);
  return { report, reportUri: announce(ctx, report, 'objects').toString() };
}

/**
 * Runs a download of `keys` into `folder`; when local files would be replaced, asks once
 * (`pick`: "Replace" or "Skip Existing"). Each file goes through the atomic write; a file that
 * another program changes after the question is kept and reported as a conflict.
 */
async function downloadInto(ctx: Ctx, c: { connectionId: string; bucket: string }, keys: string[], base: string, folder: string, answers: Answers): Promise<BulkOutcome | undefined> {
  const client = await ctx.s3.connections.client(c.connectionId);
  // Each with its identity now: Replace writes over a file only while it is still the one asked about.
  const existing = await s3().existingTargets(folder, keys, base);
  let overwrite: ReadonlyMap<string, FileIdentity> | undefined;
  if (existing.size > 0) {
    const names = [...existing.keys()];
    const choice = await choose(`${names.length} of the ${keys.length} file(s) already exist in ${folder} (${firstFew(names)}). Replace them?`, ['Replace', 'Skip Existing'] as const, answers);
    if (!choice) return undefined;
    if (choice === 'Replace') overwrite = existing;
  }
  const report = await withProgress(`Downloading ${keys.length} object(s) from s3://${c.bucket}/${base}`, (signal, progress) =>
    s3().downloadKeys(client, { bucket: c.bucket, keys, base, folder, ...(overwrite ? { overwrite } : {}), skipExisting: overwrite === undefined, signal, onProgress: stepsOf(progress) }),
  );
  return { report, reportUri: announce(ctx, report, 'objects').toString() };
}

/** Downloads the selection into a chosen folder, keeping paths below their common folder. `{ folder }` skips the dialog. */
async function downloadSelected(ctx: Ctx, node: unknown, selected?: unknown, args?: { folder?: string } & Answers): Promise<BulkOutcome | undefined> {
  const a = args ?? (Array.isArray(selected) ? undefined : (selected as typeof args));
  const { sel, keys } = await selectedKeys(ctx, node, selected, 'download');
  const folder = await folderOf(a, `Download ${keys.length} object(s) into folder`);
  if (!folder) return undefined;
  return downloadInto(ctx, sel, keys, s3().commonFolder(keys), folder, answersOf(a));
}

/** `s3://bucket/prefix/` -> bucket and prefix (a folder: ends in `/` or is ''). */
export function parseDestination(text: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(text.trim());
  if (!m) throw storageError('BadInput', `"${text}" is not an S3 location. Type it as s3://bucket/folder/.`);
  const prefix = m[2] ?? '';
  return { bucket: m[1]!, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

/** Copies the selection to another bucket or folder of the same connection. `{ text: 's3://b/p/' }` answers the question. */
async function copySelected(ctx: Ctx, node: unknown, selected?: unknown, opts?: Answers): Promise<BulkOutcome | undefined> {
  const answers = answersOf(opts ?? selected);
  const { sel, keys } = await selectedKeys(ctx, node, selected, 'copy');
  const base = s3().commonFolder(keys);
  const typed = await input({
    title: `Copy ${keys.length} object(s) to`,
    prompt: `A bucket and folder of this connection, as s3://bucket/folder/. Paths below ${base || 'the bucket'} are kept.`,
    value: `s3://${sel.bucket}/${base}`,
    validateInput: (v) => (/^s3:\/\/[^/]+/.test(v.trim()) ? undefined : 'Type it as s3://bucket/folder/'),
  }, answers);
  if (!typed) return undefined;
  const to = parseDestination(typed);
  const client = await ctx.s3.connections.client(sel.connectionId);
  const report = await withProgress(`Copying ${keys.length} object(s) to s3://${to.bucket}/${to.prefix}`, (signal, progress) =>
    s3().copyKeys(client, { bucket: sel.bucket, keys, base, toBucket: to.bucket, toPrefix: to.prefix, signal, onProgress: stepsOf(progress) }),
  );
  await redraw(ctx, sel.connectionId, to.bucket, report.done.map((k) => to.prefix + k.slice(base.length)));
  return { report, reportUri: announce(ctx, report, 'objects').toString() };
}

/** Uploads a local folder to a bucket or folder, keeping relative paths. `{ folder }` skips the dialog. */
async function uploadFolder(ctx: Ctx, node: unknown, args?: { folder?: string }): Promise<BulkOutcome | undefined> {
  const c = containerOf(node);
  const folder = await folderOf(args, `Upload a folder to s3://${c.bucket}/${c.prefix}`);
  if (!folder) return undefined;
  const name = folder.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? 'folder';
  const prefix = `${c.prefix}${name}/`;
  const client = await ctx.s3.connections.client(c.connectionId);
  const report = await withProgress(`Uploading ${folder} to s3://${c.bucket}/${prefix}`, (signal, progress) =>
    s3().uploadFolder(client, { folder, bucket: c.bucket, prefix, signal, onProgress: stepsOf(progress) }),
  );
  await ctx.s3.tree.changed({ connectionId: c.connectionId, bucket: c.bucket, key: `${prefix}x` });
  return { report, reportUri: announce(ctx, report, 'files').toString() };
}

/** Downloads everything under a bucket or folder into a local folder. `{ folder, pick }` answer the questions. */
async function downloadFolder(ctx: Ctx, node: unknown, args?: { folder?: string } & Answers): Promise<BulkOutcome | undefined> {
  const c = containerOf(node);
  const folder = await folderOf(args, `Download s3://${c.bucket}/${c.prefix} into folder`);
  if (!folder) return undefined;
  const client = await ctx.s3.connections.client(c.connectionId);
  const keys = await s3().listKeys(client, c.bucket, c.prefix);
  if (keys.length === 0) throw storageError('NotFound', `s3://${c.bucket}/${c.prefix} holds no objects; nothing to download. Refresh the view.`);
  return downloadInto(ctx, c, keys, c.prefix, folder, answersOf(args));
}

/**
 * Deletes a folder with every version and delete marker under it, for good. The user types the
 * prefix to confirm (`{ text }` answers); a bucket has its own Delete Bucket.
 */
async function deletePrefix(ctx: Ctx, node: unknown, opts?: Answers): Promise<BulkOutcome | undefined> {
  const c = containerOf(node);
  if (c.prefix === '') throw storageError('BadInput', 'Run this on a folder. To remove a whole bucket with its versions, use Delete Bucket.');
  const client = await ctx.s3.connections.client(c.connectionId);
  const count = await s3().countPrefixVersions(client, c.bucket, c.prefix);
  const what = `${count.more ? 'over ' : ''}${count.versions} version(s) and delete marker(s) of ${count.keys}${count.more ? '+' : ''} key(s)`;
  const typed = await input({
    title: `Delete s3://${c.bucket}/${c.prefix} with ALL its versions`,
    prompt: `This permanently deletes ${what}; it cannot be undone. Type the folder (${c.prefix}) to confirm.`,
    placeHolder: c.prefix,
    ignoreFocusOut: true,
  }, answersOf(opts));
  if (typed === undefined) return undefined;
  if (typed !== c.prefix) {
    void inform(`Nothing was deleted: "${typed}" is not ${c.prefix}.`);
    return undefined;
  }
  const out = await withProgress(`Deleting every version under s3://${c.bucket}/${c.prefix}`, (signal, progress) =>
    s3().deletePrefixVersions(client, { bucket: c.bucket, prefix: c.prefix, signal, onProgress: (n, failed) => progress(`${n} deleted${failed ? `, ${failed} failed` : ''}`) }),
  );
  const report: BulkReport = {
    ...s3().newReport('Delete', `s3://${c.bucket}/${c.prefix} (every version and delete marker)`, out.deleted + out.failed.length),
    doneCount: out.deleted,
    note: `${out.requests} DeleteObjects request(s), up to 1000 versions each.`,
    failed: out.failed.map((f) => ({ item: `${f.key}${f.versionId ? ` (version ${f.versionId})` : ''}`, code: f.code, message: f.message })),
  };
  ctx.s3.tree.refresh();
  return { report, reportUri: announce(ctx, report, 'versions and delete markers').toString() };
}

/** What the pick of Find Objects does with a match: Enter opens it, the buttons do the rest. */
const FOUND_ACTIONS = [
  { id: 'open', icon: 'go-to-file', tooltip: 'Open' },
  { id: 'reveal', icon: 'list-tree', tooltip: 'Reveal in S3 View' },
  { id: 'copyUri', icon: 'link', tooltip: 'Copy S3 URI' },
] as const satisfies readonly ItemAction<string>[];
type FoundAction = (typeof FOUND_ACTIONS)[number]['id'];

/** Finds objects by substring or glob under a bucket or folder; the pick opens, reveals or copies one. `{ pattern, pick, action }` answer. */
async function findObjects(ctx: Ctx, node: unknown, args?: { pattern?: string; action?: FoundAction } & Answers): Promise<{ matches: string[]; scanned: number; truncated: boolean; picked?: string } | undefined> {
  const c = containerOf(node);
  const pattern = args?.pattern ?? (await input({ title: `Find objects under s3://${c.bucket}/${c.prefix}`, prompt: 'Part of a name (any case), or a glob: *.json, logs/**/2026-*.gz', placeHolder: '*.json' }));
  if (!pattern) return undefined;
  const client = await ctx.s3.connections.client(c.connectionId);
  const out = await withProgress(`Finding "${pattern}" under s3://${c.bucket}/${c.prefix}`, (signal, progress) =>
    s3().findObjects(client, { bucket: c.bucket, prefix: c.prefix, pattern, signal, onProgress: (scanned, matched) => progress(`${matched} found in ${scanned} keys`) }),
  );
  const matches = out.matches.map((m) => m.key);
  const result = { matches, scanned: out.scanned, truncated: out.truncated };
  if (matches.length === 0) {
    void inform(`No object under s3://${c.bucket}/${c.prefix} matches "${pattern}" (${out.scanned} keys looked at).`);
    return result;
  }
  const items = out.matches.map((m) => ({ label: m.key.slice(c.prefix.length), description: `${m.size} bytes${m.lastModified ? `, ${m.lastModified.toISOString().slice(0, 16).replace('T', ' ')}` : ''}`, key: m.key }));
  const title = `${matches.length}${out.truncated ? '+' : ''} match(es) for "${pattern}" in ${out.scanned} keys; Enter opens, the buttons reveal or copy`;
  const chosen = await pickWithActions(items, FOUND_ACTIONS, { title, matchOnDescription: true }, answersOf(args), args?.action);
  if (!chosen) return result;
  const target = { connectionId: c.connectionId, bucket: c.bucket, key: chosen.item.key };
  if (chosen.action === 'copyUri') await vscode.env.clipboard.writeText(s3UriText(c.bucket, chosen.item.key));
  else if (chosen.action === 'reveal') await revealInView(ctx, objectNode(target, c.versioned));
  // Through Open Object, so the size rule (ask above a few MB, offer download above the limit) holds.
  else await vscode.commands.executeCommand('storageInspector.s3.openObject', target);
  return { ...result, picked: chosen.item.key };
}

export const bulkCommands: CommandSpec[] = [
  { id: 's3.deleteSelected', run: deleteSelected },
  { id: 's3.downloadSelected', run: downloadSelected },
  { id: 's3.copySelected', run: copySelected },
  { id: 's3.uploadFolder', run: uploadFolder },
  { id: 's3.downloadFolder', run: downloadFolder },
  { id: 's3.deletePrefix', run: deletePrefix },
  { id: 's3.findObjects', run: findObjects },
];
