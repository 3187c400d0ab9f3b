import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import type { Ctx } from '../ctx';
import { S3_SCHEME, parseS3Uri, s3Uri, s3UriText } from '../fs/s3Uri';
import type { SaveConflict } from '../fs/s3Fs';
import { s3 } from '../lazy';
import { decodeBytes, MAX_OPEN_BYTES } from './codecBridge';
import { followInnerLanguage } from '../innerLanguage';
import type { S3Node } from './nodes';
import { services } from './services';
import { latestVersionId } from './versionCommands';

/** Registers the S3 view, the storage-s3 file system and the conflict prompt. */
export function register(ctx: Ctx): void {
  const { tree, fs } = services(ctx);
  const view = vscode.window.createTreeView<S3Node>('storageInspector.s3', { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  ctx.subscribe(
    view,
    vscode.workspace.registerFileSystemProvider(S3_SCHEME, fs, { isCaseSensitive: true }),
    followInnerLanguage(S3_SCHEME),
    fs.onDidConflict((c) => void offerConflictChoices(ctx, c)),
    fs.onDidChangeFile(() => tree.refresh()),
    // For tests and scripts: the rendered rows under a node (label, description, context value).
    vscode.commands.registerCommand('storageInspector.s3.internal.children', (node?: S3Node) => tree.describe(node)),
  );
}

/** A save lost a race: show theirs next to ours, or write ours over theirs. */
async function offerConflictChoices(ctx: Ctx, c: SaveConflict): Promise<void> {
  const loc = parseS3Uri(c.uri);
  const pick = await vscode.window.showErrorMessage(
    `${s3UriText(loc.bucket, loc.key)} was changed by someone else since you opened it; your save was refused so their change is not lost.`,
    'Compare',
    'Overwrite',
  );
  try {
    if (pick === 'Compare') await compareWithTheirs(ctx, c.uri);
    if (pick === 'Overwrite') {
      await services(ctx).fs.overwrite(c.uri, c.content);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === c.uri.toString());
      if (doc) {
        // The file now holds our text; reverting clears the dirty mark without changing it.
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    }
  } catch (e) {
    ctx.log.error(messageOf(e));
    void vscode.window.showErrorMessage(messageOf(e));
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
  const client = await services(ctx).connections.client(loc.connectionId);
  const got = await s3().getObjectBytes(client, loc, { maxBytes: MAX_OPEN_BYTES });
  const { plaintext } = await decodeBytes(ctx, uri.toString(), got.bytes);
  const theirs = await vscode.workspace.openTextDocument({ content: new TextDecoder().decode(plaintext) });
  await vscode.commands.executeCommand('vscode.diff', theirs.uri, uri, title);
}
