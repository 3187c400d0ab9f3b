import * as vscode from 'vscode';
import { innerName } from '../../core/names';
import * as path from 'node:path';
import { storageError } from '../../core/errors';
import { formatBytes } from '../../core/local/limits';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { s3Uri, s3UriText } from './uri';
import { s3 } from '../lazy';
import { checkOpenSize, decodeStreamFor, documentKey } from '../fs/documentCodec';
import { answersOf, confirm, inform, input, pick, withProgress } from '../prompts';
import { objectTarget, type ObjectTarget } from './targets';
import { describeTarget, done, objectNode, openFollowUp, revealFollowUp } from './feedback';

/** Above this an upload goes multipart (lib-storage), in parts of this size. */
const MULTIPART_THRESHOLD = 8 * 1024 * 1024;

/**
 * Opens an object or version in a tab, decoded: big ones ask first (`confirm` answers), too big
 * ones are refused (documents.askAboveMB / maxOpenMB), as for local files.
 */
async function openObject(ctx: Ctx, node: unknown, opts?: unknown): Promise<vscode.Uri> {
  const t = objectTarget(node);
  const known = (node as { size?: unknown } | undefined)?.size;
  const size = typeof known === 'number' && !t.versionId ? known : (await s3().headObject(await ctx.s3.connections.client(t.connectionId), t)).size;
  await checkOpenSize(size, s3UriText(t.bucket, t.key), answersOf(opts));
  const uri = s3Uri(t);
  await vscode.commands.executeCommand('vscode.open', uri);
  return uri;
}

async function deleteObject(ctx: Ctx, node: unknown, opts?: unknown): Promise<boolean> {
  const t = objectTarget(node);
  const versioned = (node as { versioned?: boolean } | undefined)?.versioned === true;
  const what = versioned
    ? `Delete ${s3UriText(t.bucket, t.key)}? In this versioned bucket a delete marker hides it; "Undelete" brings it back.`
    : `Delete ${s3UriText(t.bucket, t.key)}? The bucket is not versioned, so this cannot be undone.`;
  if (!(await confirm(what, 'Delete', answersOf(opts)))) return false;
  const { connections, tree, fs } = ctx.s3;
  await s3().deleteObject(await connections.client(t.connectionId), { bucket: t.bucket, key: t.key });
  fs.changed(t);
  await tree.changed(t);
  void done(ctx, versioned
    ? `Deleted ${s3UriText(t.bucket, t.key)}: a delete marker hides it and its versions are kept; "Undelete" brings it back (turn on "Show Deleted Objects" to see it).`
    : `Deleted ${s3UriText(t.bucket, t.key)} for good: the bucket is not versioned.`);
  return true;
}

/** Uploads files to a bucket or prefix; `{ files }` skips the file picker. */
async function upload(ctx: Ctx, node: unknown, args?: { files?: string[] }): Promise<string[]> {
  const n = node as { connectionId?: string; bucket?: string; prefix?: string } | undefined;
  if (!n?.connectionId || !n.bucket) throw storageError('BadInput', 'Run "Upload File(s)..." on a bucket or folder in the S3 view.');
  const files = args?.files ?? (await vscode.window.showOpenDialog({ canSelectMany: true, title: `Upload to s3://${n.bucket}/${n.prefix ?? ''}` }))?.map((u) => u.fsPath);
  if (!files?.length) return [];
  const { connections, tree } = ctx.s3;
  const client = await connections.client(n.connectionId);
  const keys: string[] = [];
  await withProgress(`Uploading ${files.length} file(s) to s3://${n.bucket}/${n.prefix ?? ''}`, async (signal, report) => {
    for (const f of files) {
      const key = `${n.prefix ?? ''}${path.basename(f)}`;
      let last = 0;
      await s3().uploadObject(client, {
        bucket: n.bucket!,
        key,
        body: f,
        partSize: MULTIPART_THRESHOLD,
        signal,
        onProgress: (loaded, total) => {
          const pct = total ? (loaded / total) * 100 / files.length : 0;
          report(`${path.basename(f)}: ${formatBytes(loaded)}`, pct - last);
          last = pct;
        },
      });
      keys.push(key);
    }
  });
  if (keys[0] !== undefined) await tree.changed({ connectionId: n.connectionId, bucket: n.bucket, key: keys[0] });
  return keys;
}

/** Streams an object or version to a folder; `{ folder, decode, fileName }` skips the prompts. */
async function download(ctx: Ctx, node: unknown, args?: { folder?: string; decode?: boolean; fileName?: string; overwrite?: boolean }): Promise<string | undefined> {
  const t = objectTarget(node);
  const folder = args?.folder ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Download into folder' }))?.[0]?.fsPath;
  if (!folder) return undefined;
  let decode = args?.decode;
  if (decode === undefined && /\.(gz|age)$/.test(t.key)) {
    const how = await pick(['Decoded (gunzip / decrypt)', 'As stored (raw bytes)'], { title: 'Download how?' });
    if (!how) return undefined;
    decode = how.startsWith('Decoded');
  }
  const { connections } = ctx.s3;
  const client = await connections.client(t.connectionId);
  const transform = decode ? await decodeStreamFor(ctx, documentKey(s3Uri({ ...t, versionId: undefined }))) : undefined;
  const fileName = args?.fileName ?? (decode ? innerName(path.basename(t.key)) : path.basename(t.key));
  const out = await withProgress(`Downloading ${s3UriText(t.bucket, t.key)}`, (signal, report) =>
    s3().downloadObject(client, { bucket: t.bucket, key: t.key, versionId: t.versionId, folder, fileName, overwrite: args?.overwrite, signal, transform, onProgress: (w, total) => report(`${formatBytes(w)} / ${formatBytes(total)}`) }),
  );
  ctx.log.info(`downloaded ${s3UriText(t.bucket, t.key)} to ${out.path} (${out.bytes} bytes)`);
  return out.path;
}


async function copyObject(ctx: Ctx, node: unknown, args?: { bucket?: string; key?: string }): Promise<string | undefined> {
  const t = objectTarget(node);
  const key = args?.key ?? (await input({ title: 'Copy to key', value: t.key }));
  if (!key) return undefined;
  const { connections, tree } = ctx.s3;
  await s3().copyObject(await connections.client(t.connectionId), t, { bucket: args?.bucket ?? t.bucket, key });
  const to = { connectionId: t.connectionId, bucket: args?.bucket ?? t.bucket, key };
  await tree.changed(to);
  void done(ctx, `Copied ${describeTarget(t)} to ${s3UriText(to.bucket, key)}.`, openFollowUp(to), revealFollowUp(ctx, objectNode(to)));
  return key;
}

async function rename(ctx: Ctx, node: unknown, args?: { key?: string }): Promise<string | undefined> {
  const t = objectTarget(node);
  const key = args?.key ?? (await input({ title: 'Rename to key', value: t.key }));
  if (!key || key === t.key) return undefined;
  const { connections, tree, fs } = ctx.s3;
  const client = await connections.client(t.connectionId);
  await s3().copyObject(client, { bucket: t.bucket, key: t.key }, { bucket: t.bucket, key });
  await s3().deleteObject(client, { bucket: t.bucket, key: t.key });
  fs.changed(t);
  await Promise.all([tree.changed(t), tree.changed({ ...t, key })]);
  const kept = (node as { versioned?: boolean } | undefined)?.versioned === true ? ' The old key keeps its versions under a delete marker.' : '';
  void done(ctx, `Renamed ${s3UriText(t.bucket, t.key)} to ${s3UriText(t.bucket, key)}.${kept}`, openFollowUp({ ...t, key }), revealFollowUp(ctx, objectNode({ ...t, key })));
  return key;
}

async function showProperties(ctx: Ctx, node: unknown): Promise<unknown> {
  const t = objectTarget(node);
  const head = await s3().headObject(await ctx.s3.connections.client(t.connectionId), t);
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify({ uri: s3UriText(t.bucket, t.key), ...head }, null, 2) });
  await vscode.window.showTextDocument(doc, { preview: true });
  return head;
}

async function copyUri(_ctx: Ctx, node: unknown): Promise<string> {
  const t: ObjectTarget = objectTarget(node);
  const text = s3UriText(t.bucket, t.key);
  await vscode.env.clipboard.writeText(text);
  return text;
}

const EXPIRIES: [string, number][] = [['15 minutes', 900], ['1 hour', 3600], ['1 day', 86400], ['7 days (the maximum)', 604800]];

async function copyPresignedUrl(ctx: Ctx, node: unknown, args?: { expiresIn?: number }): Promise<string | undefined> {
  const t = objectTarget(node);
  let expiresIn = args?.expiresIn;
  if (expiresIn === undefined) {
    const p = await pick(EXPIRIES.map(([label, seconds]) => ({ label, seconds })), { title: 'The URL works for' });
    if (!p) return undefined;
    expiresIn = p.seconds;
  }
  const url = await s3().presignGet(await ctx.s3.connections.client(t.connectionId), t, expiresIn);
  await vscode.env.clipboard.writeText(url);
  void inform(`Presigned URL copied; anyone with it can read ${s3UriText(t.bucket, t.key)} for ${expiresIn} s.`);
  return url;
}

export const objectCommands: CommandSpec[] = [
  { id: 's3.openObject', run: openObject },
  { id: 's3.delete', run: deleteObject },
  { id: 's3.upload', run: upload },
  { id: 's3.download', run: download },
  { id: 's3.copyObject', run: copyObject },
  { id: 's3.rename', run: rename },
  { id: 's3.showProperties', run: showProperties },
  { id: 's3.copyUri', run: copyUri },
  { id: 's3.copyPresignedUrl', run: copyPresignedUrl },
];
