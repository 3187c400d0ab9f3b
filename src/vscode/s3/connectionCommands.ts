import { randomUUID } from 'node:crypto';
import { messageOf } from '../../core/errors';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { s3 } from '../lazy';
import type { AccessKeys, S3Connection } from './connections';
import { answersOf, confirm, offer, pick, type Answers } from '../prompts';
import { connectionWizard, type Draft } from './connectionWizard';
import { done, revealFollowUp } from './feedback';
import { topLevel } from './probe';
import { connectionTarget } from './targets';

/** Everything "Add S3 Connection" asks; passing it as the argument skips the prompts. */
export interface ConnectionArgs extends Omit<S3Connection, 'id'> {
  id?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Use the default provider chain: any stored keys are removed. */
  defaultChain?: boolean;
}

/** The steps' starting values: a new connection, or the one being edited (never its secret). */
async function startDraft(ctx: Ctx, prev?: S3Connection): Promise<Draft> {
  const stored = prev ? await ctx.s3.connections.storedKeyId(prev.id) : undefined;
  return {
    name: prev?.name ?? '',
    endpoint: prev?.endpoint ?? '',
    region: prev?.region ?? 'us-east-1',
    pathStyle: prev ? prev.forcePathStyle ?? prev.endpoint !== undefined : true,
    how: prev?.profile ? 'profile' : !prev || stored !== undefined ? 'keys' : 'default',
    accessKeyId: stored ?? '',
    secretAccessKey: '',
    profile: prev?.profile ?? 'default',
  };
}

function argsOf(d: Draft): ConnectionArgs {
  const out: ConnectionArgs = { name: d.name, endpoint: d.endpoint, region: d.region, forcePathStyle: d.pathStyle };
  if (d.how === 'profile') out.profile = d.profile;
  else if (d.how === 'keys') Object.assign(out, { accessKeyId: d.accessKeyId, ...(d.secretAccessKey ? { secretAccessKey: d.secretAccessKey } : {}) });
  else out.defaultChain = true;
  return out;
}

async function saveFrom(ctx: Ctx, a: ConnectionArgs, id: string): Promise<string> {
  const keys: AccessKeys | null | undefined =
    a.accessKeyId && a.secretAccessKey ? { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey }
    : a.profile || a.defaultChain ? null
    : a.accessKeyId ? await ctx.s3.connections.keysWithId(id, a.accessKeyId)
    : undefined;
  await ctx.s3.connections.save({ id, name: a.name, endpoint: a.endpoint, region: a.region, forcePathStyle: a.forcePathStyle, profile: a.profile }, keys);
  ctx.log.info(`saved S3 connection ${a.name} (${id})`);
  return id;
}

/** `ConnectionArgs` skip the steps; an Answers argument (`steps`) answers them. */
async function addConnection(ctx: Ctx, args?: ConnectionArgs | Answers): Promise<string | undefined> {
  if (args && 'name' in args && typeof args.name === 'string') {
    if (args.endpoint) s3().checkEndpoint(args.endpoint);
    return saveFrom(ctx, args, args.id ?? randomUUID());
  }
  const got = await connectionWizard(ctx, await startDraft(ctx), { answers: answersOf(args) });
  if (!got) return undefined;
  const id = await saveFrom(ctx, argsOf(got.draft), randomUUID());
  void done(ctx, `Added the S3 connection "${got.draft.name}"${got.tested ? `; it works: ${got.tested}` : ', untested'}.`, revealFollowUp(ctx, { kind: 's3Connection', connectionId: id }));
  return id;
}

async function editConnection(ctx: Ctx, node?: unknown, args?: ConnectionArgs | Answers): Promise<string | undefined> {
  const id = connectionTarget(node) ?? (await pickConnection(ctx, answersOf(args)));
  if (!id) return undefined;
  if (args && 'name' in args && typeof args.name === 'string') return saveFrom(ctx, args, id);
  const prev = ctx.s3.connections.get(id);
  const got = await connectionWizard(ctx, await startDraft(ctx, prev), { answers: answersOf(args), editing: { id, storedKeys: await ctx.s3.connections.hasKeys(id) } });
  if (!got) return undefined;
  await saveFrom(ctx, argsOf(got.draft), id);
  void done(ctx, `Saved the S3 connection "${got.draft.name}"${got.tested ? `; it works: ${got.tested}` : ', untested'}.`, revealFollowUp(ctx, { kind: 's3Connection', connectionId: id }));
  return id;
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
    await step('contents', () => topLevel(client, bucket));
    await step(`versioning of ${bucket}`, async () => s3().getVersioning(client, bucket));
  }
  const text = [`S3 connection "${conn.name}":`, ...ok.map((s) => `✓ ${s}`), ...failed.map((s) => `✗ ${s}`)].join('\n');
  ctx.log.info(text);
  void offer(failed.length ? 'warning' : 'info', text, []);
  return { ok, failed };
}

async function pickConnection(ctx: Ctx, answers: Answers = {}): Promise<string | undefined> {
  const list = ctx.s3.connections.list();
  const p = await pick(list.map((c) => ({ label: c.name, description: c.endpoint ?? 'AWS', id: c.id })), { title: 'S3 connection' }, answers);
  return p?.id;
}

export const connectionCommands: CommandSpec[] = [
  { id: 's3.addConnection', run: addConnection },
  { id: 's3.editConnection', run: editConnection },
  { id: 's3.removeConnection', run: removeConnection },
  { id: 's3.testConnection', run: testConnection },
];
