import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { storageError } from '../../core/errors';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { backup } from '../lazy';
import { confirm, input, pick } from '../prompts';
import { treeRows } from '../treeRows';
import type { BackupNode } from './nodes';
import type { BackupRepo } from './repositories';
import { optionsOf, repoIdOf } from './targets';

/** Everything "Add Backup Repository" asks; passing it as the argument skips the prompts. */
export interface RepoArgs {
  id?: string;
  name?: string;
  path?: string;
  s3?: { connectionId: string; bucket: string; prefix?: string };
  /** Kept in the secret storage; never in the settings or the log. */
  password?: string;
  passwordFile?: string;
  passwordCommand?: string;
  /** Open the repository before saving it (the default), so a wrong password or path is said at once. */
  verify?: boolean;
}

/** Asks where the repository is: a folder, or an S3 connection + bucket + prefix. */
export async function askLocation(ctx: Ctx, title: string): Promise<Pick<RepoArgs, 'path' | 's3'> | undefined> {
  const connections = ctx.s3.connections.list();
  const kind = connections.length === 0 ? 'Folder' : (await pick(['Folder', 'S3 bucket and prefix'], { title }))?.split(' ')[0];
  if (!kind) return undefined;
  if (kind === 'Folder') {
    const uri = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Use Folder', title }))?.[0];
    return uri ? { path: uri.fsPath } : undefined;
  }
  const conn = await pick(connections.map((c) => ({ label: c.name, description: c.endpoint ?? 'AWS', id: c.id })), { title: `${title}: S3 connection` });
  if (!conn) return undefined;
  const bucket = await input({ title: `${title}: bucket`, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A bucket is needed') });
  if (!bucket) return undefined;
  const prefix = await input({ title: `${title}: prefix in the bucket (empty for the whole bucket)`, placeHolder: 'restic/laptop', ignoreFocusOut: true });
  if (prefix === undefined) return undefined;
  return { s3: { connectionId: conn.id, bucket: bucket.trim(), prefix: prefix.trim().replace(/^\/+|\/+$/g, '') } };
}

/** Asks how the password is found: typed (kept in the secret storage), a password file, or a command. */
export async function askPassword(title: string): Promise<Pick<RepoArgs, 'password' | 'passwordFile' | 'passwordCommand'> | undefined> {
  const how = await pick(['Type the password (kept in the secret storage)', 'Password file (its first line, as restic --password-file)', 'Password command (its first output line, as restic --password-command)'], { title: `${title}: password` });
  if (!how) return undefined;
  if (how.startsWith('Type')) {
    const password = await input({ title: `${title}: password`, password: true, ignoreFocusOut: true });
    return password ? { password } : undefined;
  }
  if (how.startsWith('Password file')) {
    const uri = (await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectMany: false, openLabel: 'Use Password File' }))?.[0];
    return uri ? { passwordFile: uri.fsPath } : undefined;
  }
  const passwordCommand = await input({ title: `${title}: password command`, placeHolder: 'pass show restic/laptop', ignoreFocusOut: true });
  return passwordCommand ? { passwordCommand } : undefined;
}

function nameFor(a: RepoArgs): string {
  if (a.name) return a.name;
  if (a.s3) return `${a.s3.bucket}/${a.s3.prefix ?? ''}`.replace(/\/$/, '');
  return basename(a.path ?? '') || (a.path ?? 'repository');
}

/** Saves the entry (and the password), after opening it once unless `verify` is false. */
export async function saveRepo(ctx: Ctx, a: RepoArgs): Promise<string> {
  if (!a.path && !a.s3) throw storageError('BadInput', 'A backup repository needs a folder path or an S3 connection, bucket and prefix.');
  const entry: BackupRepo = { id: a.id ?? randomUUID(), name: nameFor(a), ...(a.path ? { path: a.path } : {}), ...(a.s3 ? { s3: a.s3 } : {}), ...(a.passwordFile ? { passwordFile: a.passwordFile } : {}), ...(a.passwordCommand ? { passwordCommand: a.passwordCommand } : {}) };
  await ctx.backup.repos.save(entry, a.password ?? null);
  if (a.verify !== false) {
    try {
      await ctx.backup.repos.repository(entry.id);
    } catch (e) {
      await ctx.backup.repos.remove(entry.id);
      throw e;
    }
  }
  ctx.log.info(`added backup repository ${entry.name} (${entry.id})`);
  return entry.id;
}

async function addRepository(ctx: Ctx, args?: RepoArgs): Promise<string | undefined> {
  let a = args;
  if (!a) {
    const where = await askLocation(ctx, 'Add Backup Repository');
    if (!where) return undefined;
    const pw = await askPassword('Add Backup Repository');
    if (!pw) return undefined;
    a = { ...where, ...pw };
  }
  return saveRepo(ctx, a);
}

/**
 * "Create Backup Repository...": a new restic repository (version 2, which allows compression)
 * in an empty folder or under an S3 prefix, added to the view with its password.
 */
async function createRepository(ctx: Ctx, args?: RepoArgs): Promise<string | undefined> {
  let a = args;
  if (!a) {
    const where = await askLocation(ctx, 'Create Backup Repository');
    if (!where) return undefined;
    const password = await input({ title: 'Create Backup Repository: password (kept in the secret storage)', password: true, ignoreFocusOut: true, validateInput: (v) => (v.length >= 8 ? undefined : 'Use at least 8 characters; without the password the backups cannot be read.') });
    if (!password) return undefined;
    const again = await input({ title: 'Create Backup Repository: the password again', password: true, ignoreFocusOut: true });
    if (again === undefined) return undefined;
    if (again !== password) throw storageError('BadInput', 'The two passwords differ; nothing was created. Run "Create Backup Repository..." again.');
    a = { ...where, password };
  }
  if (!a.password) throw storageError('BadInput', 'A new repository needs a password; nothing was created.');
  const id = a.id ?? randomUUID();
  const entry: BackupRepo = { id, name: nameFor(a), ...(a.path ? { path: a.path } : {}), ...(a.s3 ? { s3: a.s3 } : {}) };
  const backend = await ctx.backup.repos.backend(entry);
  await backup().initRepository(backend, a.password, { version: 2 });
  ctx.log.info(`created backup repository ${entry.name} at ${backend.label}`);
  return saveRepo(ctx, { ...a, id, name: entry.name });
}

async function removeRepository(ctx: Ctx, arg?: unknown, opts?: unknown): Promise<void> {
  const answers = optionsOf(opts);
  const id = await repoIdOf(ctx, arg, answers, 'Remove which repository from the view?');
  if (!id) return;
  const r = ctx.backup.repos.get(id);
  if (!(await confirm(`Remove ${r.name} from the Backups view? The repository itself and its snapshots stay as they are; only the entry and its stored password go.`, 'Remove', answers))) return;
  await ctx.backup.repos.remove(id);
}

async function setPassword(ctx: Ctx, arg?: unknown, opts?: unknown): Promise<void> {
  const answers = optionsOf(opts);
  const id = await repoIdOf(ctx, arg, answers);
  if (!id) return;
  const r = ctx.backup.repos.get(id);
  const password = await input({ title: `Password of ${r.name}`, password: true, ignoreFocusOut: true }, answers);
  if (!password) return;
  if (r.passwordFile || r.passwordCommand) await ctx.backup.repos.save({ id: r.id, name: r.name, ...(r.path ? { path: r.path } : {}), ...(r.s3 ? { s3: r.s3 } : {}) }, password);
  else await ctx.backup.repos.setPassword(id, password);
}

/** Test hook: the Backups view's rows under a node (undefined: the repositories), `depth` levels down. */
async function internalRows(ctx: Ctx, node?: BackupNode, depth?: number) {
  return treeRows(ctx.backup.tree, await ctx.backup.tree.getChildren(node), depth);
}

/** Test hook: the Problems panel entries of the last Verify. */
function internalProblems(ctx: Ctx): { uri: string; message: string }[] {
  const out: { uri: string; message: string }[] = [];
  ctx.backup.problems.forEach((uri, diags) => diags.forEach((d) => out.push({ uri: uri.toString(), message: d.message })));
  return out;
}

export const repoCommands: CommandSpec[] = [
  { id: 'backup.addRepository', run: addRepository },
  { id: 'backup.createRepository', run: createRepository },
  { id: 'backup.internal.addRepository', run: (ctx, a: RepoArgs) => saveRepo(ctx, a) },
  { id: 'backup.internal.rows', run: internalRows },
  { id: 'backup.internal.problems', run: internalProblems },
  { id: 'backup.internal.sizesSettled', run: (ctx, repoId: string) => ctx.backup.tree.sizesSettled(repoId) },
  { id: 'backup.removeRepository', run: removeRepository },
  { id: 'backup.setPassword', run: setPassword },
  { id: 'backup.refresh', run: (ctx, node?: BackupNode) => ctx.backup.tree.refresh(node && typeof node === 'object' && 'kind' in node ? node : undefined) },
  { id: 'backup.loadMore', run: (ctx, node: BackupNode) => (node?.kind === 'backupMore' ? ctx.backup.tree.loadMore(node) : undefined) },
  { id: 'backup.retry', run: (ctx, node: BackupNode) => (node?.kind === 'backupError' ? ctx.backup.tree.retry(node) : undefined) },
  {
    id: 'backup.copySnapshotId',
    run: async (_ctx, node: BackupNode) => {
      if (node?.kind !== 'backupSnapshot') return undefined;
      await vscode.env.clipboard.writeText(node.snapshotId);
      return node.snapshotId;
    },
  },
];
