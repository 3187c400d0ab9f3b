import * as vscode from 'vscode';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { s3Uri } from './uri';
import { s3 } from '../lazy';
import type { S3Node } from './nodes';
import { bucketTarget, connectionTarget } from './targets';
import { answersOf, confirm, input, withProgress } from '../prompts';

async function setVersioning(ctx: Ctx, node: unknown, enabled: boolean): Promise<void> {
  const b = bucketTarget(node);
  const { connections, tree } = ctx.s3;
  await s3().setVersioning(await connections.client(b.connectionId), b.bucket, enabled);
  await tree.bucketChanged(b.connectionId, b.bucket);
}

async function createBucket(ctx: Ctx, node: unknown, args?: { name?: string }): Promise<string | undefined> {
  const connectionId = connectionTarget(node);
  if (!connectionId) return undefined;
  const name = args?.name ?? (await input({ title: 'New bucket name', validateInput: (v) => (/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) ? undefined : '3-63 lowercase letters, digits, dots or hyphens') }));
  if (!name) return undefined;
  const { connections, tree } = ctx.s3;
  const conn = connections.get(connectionId);
  await s3().createBucket(await connections.client(connectionId), name, conn.region);
  await tree.bucketChanged(connectionId, name);
  return name;
}

/**
 * Deletes an empty bucket after a yes (`confirm`); a bucket with objects or versions needs its
 * name typed (`text`), and then every version is removed first.
 */
async function deleteBucket(ctx: Ctx, node: unknown, opts?: unknown): Promise<boolean> {
  const answers = answersOf(opts);
  const b = bucketTarget(node);
  const { connections, tree } = ctx.s3;
  const client = await connections.client(b.connectionId);
  const page = await s3().listVersionsPage(client, { bucket: b.bucket, delimiter: '', maxKeys: 1 });
  const empty = page.keys.length === 0;
  if (!empty) {
    const typed = await input({
      title: `Delete bucket ${b.bucket} and EVERY object version in it`,
      prompt: `The bucket is not empty. Type its name to delete all of its objects, versions and delete markers permanently, then the bucket.`,
      ignoreFocusOut: true,
    }, answers);
    if (typed !== b.bucket) return false;
  } else if (!(await confirm(`Delete the empty bucket ${b.bucket}?`, 'Delete', answers))) {
    return false;
  }
  await withProgress(`Deleting bucket ${b.bucket}`, (signal, report) =>
    (async () => {
      if (!empty) await s3().emptyBucket(client, b.bucket, signal, (n) => report(`${n} versions deleted`));
      await s3().deleteBucket(client, b.bucket, { signal });
    })(),
  );
  await tree.bucketChanged(b.connectionId, b.bucket);
  return true;
}

/** Adds the bucket (or prefix) as a workspace folder backed by storage-s3. */
async function openBucketAsFolder(_ctx: Ctx, node: unknown): Promise<boolean> {
  const n = node as S3Node;
  const b = bucketTarget(n);
  const prefix = n.kind === 's3Prefix' ? n.prefix.replace(/\/$/, '') : '';
  const uri = s3Uri({ connectionId: b.connectionId, bucket: b.bucket, key: prefix });
  const at = vscode.workspace.workspaceFolders?.length ?? 0;
  return vscode.workspace.updateWorkspaceFolders(at, 0, { uri, name: `s3://${b.bucket}/${prefix}` });
}

export const bucketCommands: CommandSpec[] = [
  { id: 's3.enableVersioning', run: (ctx, node) => setVersioning(ctx, node, true) },
  { id: 's3.suspendVersioning', run: (ctx, node) => setVersioning(ctx, node, false) },
  { id: 's3.createBucket', run: createBucket },
  { id: 's3.deleteBucket', run: deleteBucket },
  { id: 's3.openBucketAsFolder', run: openBucketAsFolder },
];
