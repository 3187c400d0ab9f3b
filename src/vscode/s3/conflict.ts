import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { decodeDocument, documentKey, maxOpenBytes } from '../fs/documentCodec';
import { s3 } from '../lazy';
import { showError } from '../log';
import { offer } from '../prompts';
import type { SaveConflict } from './fileSystem';
import { parseS3Uri, s3Uri, s3UriText } from './uri';
import type { ObjectTarget } from './targets';

/** The latest real version's id (not a marker), for a read-only "theirs" side of a diff. */
async function latestVersionId(ctx: Ctx, t: ObjectTarget): Promise<string | undefined> {
  const client = await ctx.s3.connections.client(t.connectionId);
  const kv = await s3().listKeyVersions(client, t.bucket, t.key);
  return kv.versions.find((v) => !v.isDeleteMarker)?.versionId;
}

/** A save lost a race: show theirs next to ours, or write ours over theirs. */
export async function offerConflictChoices(ctx: Ctx, c: SaveConflict): Promise<void> {
  const loc = parseS3Uri(c.uri);
  // A follow-up's failure is logged and shown here (offer would only show it).
  const logged = (run: () => Promise<void>) => () => run().catch((e: unknown) => showError(ctx, e));
  await offer('error', `${s3UriText(loc.bucket, loc.key)} was changed by someone else since you opened it; your save was refused so their change is not lost.`, [
    { title: 'Compare', run: logged(() => compareWithTheirs(ctx, c.uri)) },
    { title: 'Overwrite', run: logged(() => overwriteTheirs(ctx, c)) },
  ]);
}

async function overwriteTheirs(ctx: Ctx, c: SaveConflict): Promise<void> {
  await ctx.s3.fs.overwrite(c.uri, c.content);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === c.uri.toString());
  if (doc) {
    // The file now holds our text; reverting clears the dirty mark without changing it.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
}

async function compareWithTheirs(ctx: Ctx, uri: vscode.Uri): Promise<void> {
  const loc = parseS3Uri(uri);
  const title = `${loc.key}: theirs ↔ yours`;
  const versionId = await latestVersionId(ctx, loc).catch(() => undefined);
  if (versionId && versionId !== 'null') {
    await vscode.commands.executeCommand('vscode.diff', s3Uri({ ...loc, versionId }), uri, title);
    return;
  }
  // Unversioned: show their bytes, decoded, in an untitled document.
  const client = await ctx.s3.connections.client(loc.connectionId);
  const got = await s3().getObjectBytes(client, loc, { maxBytes: maxOpenBytes() });
  const { plaintext } = await decodeDocument(ctx, documentKey(uri), loc.key, got.bytes);
  const theirs = await vscode.workspace.openTextDocument({ content: new TextDecoder().decode(plaintext) });
  await vscode.commands.executeCommand('vscode.diff', theirs.uri, uri, title);
}
