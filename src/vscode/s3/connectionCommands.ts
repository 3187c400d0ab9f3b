import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { messageOf } from '../../core/errors';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { s3 } from '../lazy';
import type { AccessKeys, S3Connection } from './connections';
import { answersOf, confirm, input, pick } from '../prompts';
import { connectionTarget } from './targets';

/** Everything "Add S3 Connection" asks; passing it as the argument skips the prompts. */
export interface ConnectionArgs {
  id?: string;
  name: string;
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  profile?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

async function ask(prev: Partial<S3Connection>): Promise<ConnectionArgs | undefined> {
  const name = await input({ title: 'S3 connection: name', value: prev.name ?? '', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A name is needed') });
  if (name === undefined) return undefined;
  const endpoint = await input({ title: 'S3 connection: endpoint URL (empty for AWS)', value: prev.endpoint ?? '', placeHolder: 'http://127.0.0.1:9000', ignoreFocusOut: true });
  if (endpoint === undefined) return undefined;
  const region = await input({ title: 'S3 connection: region', value: prev.region ?? 'us-east-1', ignoreFocusOut: true });
  if (region === undefined) return undefined;
  const style = await pick(['Path-style (bucket in the path; MinIO, Ceph, moto)', 'Virtual-hosted (bucket in the host name; AWS)'], { title: 'S3 connection: addressing' });
  if (style === undefined) return undefined;
  const how = await pick(['Access key pair (kept in the secret storage)', 'AWS profile (shared config, SSO included)', 'Default provider chain (environment, instance role)'], { title: 'S3 connection: credentials' });
  if (how === undefined) return undefined;
  const out: ConnectionArgs = { name, endpoint, region, forcePathStyle: style.startsWith('Path') };
  if (how.startsWith('Access')) {
    const accessKeyId = await input({ title: 'Access key id', ignoreFocusOut: true });
    if (!accessKeyId) return undefined;
    const secretAccessKey = await input({ title: 'Secret access key', password: true, ignoreFocusOut: true });
    if (!secretAccessKey) return undefined;
    Object.assign(out, { accessKeyId, secretAccessKey });
  } else if (how.startsWith('AWS')) {
    const profile = await input({ title: 'AWS profile name', value: prev.profile ?? 'default', ignoreFocusOut: true });
    if (!profile) return undefined;
    out.profile = profile;
  }
  return out;
}

async function saveFrom(ctx: Ctx, a: ConnectionArgs, id: string): Promise<string> {
  const keys: AccessKeys | null | undefined = a.accessKeyId && a.secretAccessKey ? { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey } : a.profile ? null : undefined;
  await ctx.s3.connections.save({ id, name: a.name, endpoint: a.endpoint, region: a.region, forcePathStyle: a.forcePathStyle, profile: a.profile }, keys);
  ctx.log.info(`saved S3 connection ${a.name} (${id})`);
  return id;
}

async function addConnection(ctx: Ctx, args?: ConnectionArgs): Promise<string | undefined> {
  const a = args ?? (await ask({}));
  if (!a) return undefined;
  if (a.endpoint) s3().checkEndpoint(a.endpoint);
  return saveFrom(ctx, a, a.id ?? randomUUID());
}

async function editConnection(ctx: Ctx, node?: unknown, args?: ConnectionArgs): Promise<string | undefined> {
  const id = connectionTarget(node) ?? (await pickConnection(ctx));
  if (!id) return undefined;
  const a = args ?? (await ask(ctx.s3.connections.get(id)));
  if (!a) return undefined;
  return saveFrom(ctx, a, id);
}

async function removeConnection(ctx: Ctx, node?: unknown, opts?: unknown): Promise<boolean> {
  const id = connectionTarget(node) ?? (await pickConnection(ctx));
  if (!id) return false;
  const conn = ctx.s3.connections.get(id);
  if (!(await confirm(`Remove the S3 connection "${conn.name}" and its stored access keys? Buckets and objects are not touched.`, 'Remove', answersOf(opts)))) return false;
  await ctx.s3.connections.remove(id);
  return true;
}

/** Tries each step a user needs and says which worked: credentials, listing buckets, a bucket's listing. */
async function testConnection(ctx: Ctx, node?: unknown): Promise<{ ok: string[]; failed: string[] }> {
  const id = connectionTarget(node) ?? (await pickConnection(ctx));
  if (!id) return { ok: [], failed: [] };
  const { connections } = ctx.s3;
  const conn = connections.get(id);
  const ok: string[] = [];
  const failed: string[] = [];
  const step = async (label: string, run: () => Promise<string | void>) => {
    try {
      const detail = await run();
      ok.push(detail ? `${label}: ${detail}` : label);
      return true;
    } catch (e) {
      failed.push(`${label}: ${messageOf(e)}`);
      return false;
    }
  };
  const started = Date.now();
  const client = await connections.client(id);
  ok.push(`credentials from ${conn.profile ? `profile ${conn.profile}` : (await connections.hasKeys(id)) ? 'the stored access key pair' : 'the default provider chain'}`);
  let first: string | undefined;
  await step('list buckets', async () => {
    const b = await s3().listBuckets(client);
    first = b[0]?.name;
    return `${b.length} bucket(s) in ${Date.now() - started} ms`;
  });
  if (first) {
    const bucket = first;
    await step(`list ${bucket}`, async () => `${(await s3().listPage(client, { bucket, maxKeys: 10 })).objects.length} object(s) on the first page`);
    await step(`versioning of ${bucket}`, async () => s3().getVersioning(client, bucket));
  }
  const text = [`S3 connection "${conn.name}":`, ...ok.map((s) => `✓ ${s}`), ...failed.map((s) => `✗ ${s}`)].join('\n');
  ctx.log.info(text);
  if (failed.length) void vscode.window.showWarningMessage(text, { modal: false });
  else void vscode.window.showInformationMessage(text);
  return { ok, failed };
}

async function pickConnection(ctx: Ctx): Promise<string | undefined> {
  const list = ctx.s3.connections.list();
  const p = await pick(list.map((c) => ({ label: c.name, description: c.endpoint ?? 'AWS', id: c.id })), { title: 'S3 connection' });
  return p?.id;
}

export const connectionCommands: CommandSpec[] = [
  { id: 's3.addConnection', run: addConnection },
  { id: 's3.editConnection', run: editConnection },
  { id: 's3.removeConnection', run: removeConnection },
  { id: 's3.testConnection', run: testConnection },
];
