import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { s3 } from '../lazy';
import { answersOf, input, pick, type Answers } from '../prompts';
import type { S3Node } from './nodes';
import { parseS3Uri, S3_SCHEME, type S3Location } from './uri';

export interface ObjectTarget extends S3Location {
  /** The version's time when the node knows it: its tab title shows it. */
  lastModified?: string;
}

/** Accepts a tree node, a storage-s3 URI or plain {connectionId, bucket, key, versionId?}. */
export function objectTarget(arg: unknown, what = 'an object'): ObjectTarget {
  const t = asObjectTarget(arg);
  if (t) return t;
  throw storageError('BadInput', `Run this on ${what} in the S3 view, or with its tab active.`);
}

function asObjectTarget(arg: unknown): ObjectTarget | undefined {
  if (arg instanceof vscode.Uri) return arg.scheme === S3_SCHEME && parseS3Uri(arg).key !== '' ? parseS3Uri(arg) : undefined;
  const n = arg as Partial<S3Node & ObjectTarget> | undefined;
  if (n && typeof n.connectionId === 'string' && typeof n.bucket === 'string' && typeof n.key === 'string') {
    const { versionId, lastModified } = n as { versionId?: unknown; lastModified?: unknown };
    return {
      connectionId: n.connectionId,
      bucket: n.bucket,
      key: n.key,
      ...(typeof versionId === 'string' ? { versionId } : {}),
      ...(typeof versionId === 'string' && typeof lastModified === 'string' ? { lastModified } : {}),
    };
  }
  return undefined;
}

export function bucketTarget(arg: unknown): { connectionId: string; bucket: string } {
  const n = arg as { connectionId?: unknown; bucket?: unknown } | undefined;
  if (n && typeof n.connectionId === 'string' && typeof n.bucket === 'string') return { connectionId: n.connectionId, bucket: n.bucket };
  throw storageError('BadInput', 'Run this on a bucket in the S3 view.');
}

export function connectionTarget(arg: unknown): string | undefined {
  const n = arg as { connectionId?: unknown } | undefined;
  return n && typeof n.connectionId === 'string' ? n.connectionId : undefined;
}

/** What a command acts on: the latest object, one version, or either. */
export type TargetKind = 'object' | 'version' | 'any';

/** The storage-s3 resource of the active editor (a diff's right side), if it shows one. */
export function activeS3Uri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri =
    input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri
    : input instanceof vscode.TabInputTextDiff ? input.modified
    : vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === S3_SCHEME && parseS3Uri(uri).key !== '' ? uri : undefined;
}

const fits = (kind: TargetKind, t: ObjectTarget) => kind === 'any' || (kind === 'version') === (t.versionId !== undefined);

/**
 * The target rule of S3 commands: the argument, else the active editor's storage-s3 resource,
 * else the selection of the S3 view while it is visible (a hidden view's old selection is not
 * used), else a picker. What comes from an editor is made a node, so commands see the same shape.
 */
export async function resolveObjectTarget(ctx: Ctx, arg: unknown, kind: TargetKind, answers: Answers = {}): Promise<S3Node> {
  if (asObjectTarget(arg)) return arg instanceof vscode.Uri ? nodeFor(ctx, parseS3Uri(arg)) : (arg as S3Node);
  const active = activeS3Uri();
  const fromEditor = active ? parseS3Uri(active) : undefined;
  if (fromEditor && fits(kind, fromEditor)) return nodeFor(ctx, fromEditor);
  const { view } = ctx.s3;
  const selected = view.visible ? view.selection[0] : undefined;
  const fromView = selected && (selected.kind === 's3Object' || selected.kind === 's3Version') ? selected : undefined;
  if (fromView && fits(kind, asObjectTarget(fromView)!)) return fromView;
  return nodeFor(ctx, await pickTarget(ctx, kind, answers));
}

/** A node for a location from a URI or a picker; `versioned` comes from the bucket's status. */
async function nodeFor(ctx: Ctx, t: ObjectTarget): Promise<S3Node> {
  const client = await ctx.s3.connections.client(t.connectionId);
  if (t.versionId) {
    const kv = await s3().listKeyVersions(client, t.bucket, t.key);
    const v = kv.versions.find((x) => x.versionId === t.versionId);
    if (!v) throw storageError('NotFound', `s3://${t.bucket}/${t.key} has no version ${t.versionId}. Refresh the S3 view.`);
    return { kind: 's3Version', connectionId: t.connectionId, bucket: t.bucket, key: t.key, versionId: v.versionId, isLatest: v.isLatest, isDeleteMarker: v.isDeleteMarker, size: v.size, ...(v.lastModified ? { lastModified: v.lastModified.toISOString() } : {}) };
  }
  const status = await s3().getVersioning(client, t.bucket).catch(() => undefined);
  return { kind: 's3Object', connectionId: t.connectionId, bucket: t.bucket, key: t.key, versioned: status === 'Enabled' || status === 'Suspended' };
}

/** The last resort: a connection (when there are several), the object's s3:// address, and for a version command the version. */
async function pickTarget(ctx: Ctx, kind: TargetKind, answers: Answers): Promise<ObjectTarget> {
  const list = ctx.s3.connections.list();
  if (list.length === 0) throw storageError('BadInput', 'There is no S3 connection yet. Run "Add S3 Connection..." first.');
  const chosen = list.length === 1 ? list[0] : await pick(list.map((c) => ({ label: c.name, description: c.endpoint ?? 'AWS', id: c.id, name: c.name })), { title: 'Which S3 connection?' }, answers);
  if (!chosen) throw storageError('Cancelled', 'No object was chosen.');
  const conn = { id: chosen.id, name: chosen.name };
  const text = await input({
    title: `Object on ${conn.name}`,
    prompt: 'Open the object in a tab or select it in the S3 view to skip this question.',
    placeHolder: 's3://bucket/key',
    ignoreFocusOut: true,
    validateInput: (v) => (parseS3Text(v) ? undefined : 'Type it as s3://bucket/key'),
  }, answers);
  const loc = text === undefined ? undefined : parseS3Text(text);
  if (!loc) throw storageError('Cancelled', 'No object was chosen.');
  const t: ObjectTarget = { connectionId: conn.id, ...loc };
  if (kind !== 'version') return t;
  const kv = await s3().listKeyVersions(await ctx.s3.connections.client(conn.id), t.bucket, t.key);
  const items = kv.versions.map((v) => ({ label: v.versionId, description: `${v.isLatest ? 'latest · ' : ''}${v.isDeleteMarker ? 'delete marker' : `${v.size} bytes`} · ${v.lastModified?.toISOString() ?? ''}` }));
  if (items.length === 0) throw storageError('NotFound', `s3://${t.bucket}/${t.key} has no versions. Check the key.`);
  const v = await pick(items, { title: `Which version of s3://${t.bucket}/${t.key}?` }, answers);
  if (!v) throw storageError('Cancelled', 'No version was chosen.');
  return { ...t, versionId: v.label };
}

function parseS3Text(v: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(v.trim());
  return m ? { bucket: m[1]!, key: m[2]! } : undefined;
}

/**
 * Wraps a command whose first argument is an object or version so the palette (no argument)
 * follows the target rule; a tree menu's node or a test's argument passes through unchanged.
 */
export function withTarget(spec: CommandSpec, kind: TargetKind): CommandSpec {
  return {
    id: spec.id,
    run: async (ctx: Ctx, arg?: unknown, ...rest: unknown[]) => {
      // A URI knows less than a node (is the bucket versioned?), so it becomes one.
      if (arg instanceof vscode.Uri && asObjectTarget(arg)) return spec.run(ctx, await nodeFor(ctx, parseS3Uri(arg)), ...rest);
      if (asObjectTarget(arg)) return spec.run(ctx, arg, ...rest);
      // From a keybinding or the palette an options object may come first; it answers the picker.
      const answers = answersOf(arg);
      return spec.run(ctx, await resolveObjectTarget(ctx, undefined, kind, answers), ...(arg === undefined ? rest : [arg, ...rest]));
    },
  };
}

/** The commands that act on one object or version, and which: the palette reaches them through the target rule. */
export const TARGET_KINDS: Readonly<Record<string, TargetKind>> = {
  's3.download': 'any',
  's3.showProperties': 'any',
  's3.copyPresignedUrl': 'any',
  's3.copyUri': 'any',
  's3.reveal': 'any',
  's3.undelete': 'any',
  's3.copyObject': 'object',
  's3.rename': 'object',
  's3.delete': 'object',
  's3.compareWithLatest': 'version',
  's3.restoreVersion': 'version',
  's3.deleteVersion': 'version',
};

export function withTargets(specs: CommandSpec[]): CommandSpec[] {
  return specs.map((s) => {
    const kind = TARGET_KINDS[s.id];
    return kind ? withTarget(s, kind) : s;
  });
}
