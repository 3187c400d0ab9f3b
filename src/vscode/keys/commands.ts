import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import { RECIPIENT_PATTERN } from '../../core/keys/rules';
import type { Ctx } from '../ctx';
import { codec } from '../lazy';
import type { CommandSpec } from '../commands/spec';
import { stat } from 'node:fs/promises';
import { pathOf } from '../local/nodes';
import { confirm, input, offer, pick } from '../prompts';
import { commandTarget } from '../target';

/** A path given by a test or a caller, or one the user picks. */
async function identityFile(arg: unknown): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const picked = await vscode.window.showOpenDialog({ title: 'Import age identity file (age-keygen output)', canSelectMany: false, openLabel: 'Import' });
  return picked?.[0]?.fsPath;
}

async function generateIdentity(ctx: Ctx): Promise<string> {
  const { identity, recipient } = codec().generateIdentity();
  await ctx.keys.addIdentities([identity]);
  await vscode.env.clipboard.writeText(recipient);
  ctx.log.info(`generated an identity with recipient ${recipient}`);
  void vscode.window.showInformationMessage(`New age identity stored in the secret storage. Its recipient (copied to the clipboard): ${recipient}`);
  return recipient;
}

async function importIdentity(ctx: Ctx, arg?: unknown): Promise<string[] | undefined> {
  const file = await identityFile(arg);
  if (file === undefined) return undefined;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(file)));
  const api = codec();
  const identities = api.identitiesFromText(text);
  if (identities.length === 0) throw storageError('BadInput', `${file} holds no age identity. Choose a file written by age-keygen.`);
  // Derive each recipient first: this validates the identities before anything is stored.
  const recipients = identities.map((i) => api.identityToRecipient(i));
  const added = await ctx.keys.addIdentities(identities);
  ctx.log.info(`imported ${added} new identities from ${file}: ${recipients.join(', ')}`);
  void vscode.window.showInformationMessage(`Imported ${added} new age identit${added === 1 ? 'y' : 'ies'} (${recipients.join(', ')}).`);
  return recipients;
}

async function removeIdentity(ctx: Ctx, arg?: unknown): Promise<boolean> {
  let recipient = typeof arg === 'string' ? arg : undefined;
  if (recipient === undefined) {
    const recipients = await ctx.keys.recipients();
    if (recipients.length === 0) {
      void vscode.window.showInformationMessage('No age identity is stored.');
      return false;
    }
    recipient = await pick(recipients, { title: 'Remove which identity? (shown by its recipient)' });
    if (recipient === undefined) return false;
    if (!(await confirm(`Remove the identity for ${recipient}? Files encrypted only to it can no longer be opened here.`, 'Remove'))) return false;
  }
  const removed = await ctx.keys.removeIdentity(recipient);
  if (removed) ctx.log.info(`removed the identity for ${recipient}`);
  return removed;
}

function splitRecipients(value: unknown): string[] {
  const list = Array.isArray(value) ? value.map(String) : String(value).split(/[\s,]+/);
  return list.map((r) => r.trim()).filter((r) => r !== '');
}

/** A glob for the folder around a location: the folder itself for a folder, else the file's folder. */
function folderGlob(location: string, isFolder: boolean): string {
  const folder = isFolder ? location.replace(/\/+$/, '') : location.slice(0, Math.max(0, location.lastIndexOf('/')));
  return `${folder}/**`;
}

/** The location a resource names, as recipient rules write it (a path, or s3://bucket/key). */
async function locationOf(ctx: Ctx, uri: vscode.Uri): Promise<string | undefined> {
  if (uri.scheme === 'storage-s3') {
    const [bucket, ...key] = uri.path.replace(/^\//, '').split('/');
    return bucket ? folderGlob(`s3://${bucket}/${key.join('/')}`, key.length === 0 || uri.path.endsWith('/')) : undefined;
  }
  const path = uri.scheme === 'file' ? uri.fsPath : uri.scheme === 'storage-local' ? ctx.local.fs.pathFor(uri) : undefined;
  if (!path) return undefined;
  return folderGlob(path, await stat(path).then((st) => st.isDirectory(), () => false));
}

async function setRecipients(ctx: Ctx, globArg?: unknown, recipientsArg?: unknown): Promise<boolean> {
  // The one target rule suggests the location (the argument, the active editor's file, the Local
  // view's selection while it is visible); the user still sees and may change the glob.
  const suggested =
    typeof globArg === 'string'
      ? undefined
      : await commandTarget(globArg, {
          fromArg: (a) => (a instanceof vscode.Uri ? locationOf(ctx, a) : undefined),
          fromResource: (uri) => locationOf(ctx, uri),
          view: ctx.local.view,
          fromNode: (n) => {
            const p = pathOf(n);
            return p ? folderGlob(p, (n as { kind?: string }).kind !== 'file') : undefined;
          },
          pick: async () => undefined,
        });
  const glob =
    typeof globArg === 'string'
      ? globArg
      : await input({ title: 'Set Recipients for Location', prompt: 'Location glob, e.g. s3://bucket/secrets/** or /home/me/vault/**', ignoreFocusOut: true, ...(suggested ? { value: suggested } : {}) });
  if (!glob) return false;
  let recipients: string[];
  if (recipientsArg !== undefined) recipients = splitRecipients(recipientsArg);
  else {
    const current = ctx.keys.rules().find((r) => r.glob === glob)?.recipients ?? (await ctx.keys.recipients());
    const typed = await input({
      title: `Recipients for ${glob}`,
      prompt: 'age1... recipients, separated by spaces or commas; empty removes the rule',
      value: current.join(' '),
      ignoreFocusOut: true,
      validateInput: (v) => (splitRecipients(v).every((r) => RECIPIENT_PATTERN.test(r)) ? undefined : 'Each recipient starts with age1 and has 62 characters'),
    });
    if (typed === undefined) return false;
    recipients = splitRecipients(typed);
  }
  const bad = recipients.filter((r) => !RECIPIENT_PATTERN.test(r));
  if (bad.length > 0) throw storageError('BadInput', `Not an age recipient: ${bad.join(', ')}. Recipients start with age1 (age-keygen -y prints one).`);
  await ctx.keys.setRecipients(glob, recipients);
  const said = recipients.length > 0 ? `New and re-encrypted files in ${glob} now go to ${recipients.length} recipient${recipients.length === 1 ? '' : 's'}.` : `Removed the recipient rule for ${glob}.`;
  ctx.log.info(`${said} ${recipients.join(', ')}`);
  void offer('info', said, []);
  return true;
}

export const commands: CommandSpec[] = [
  { id: 'keys.generateIdentity', run: generateIdentity },
  { id: 'keys.importIdentity', run: importIdentity },
  { id: 'keys.removeIdentity', run: removeIdentity },
  { id: 'keys.setRecipients', run: setRecipients },
];
