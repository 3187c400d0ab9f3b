import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { followInnerLanguage } from '../fs/innerLanguage';
import { offerConflictChoices } from './conflict';
import { parseS3Uri, S3_SCHEME, s3UriText } from './uri';
import { inform } from '../prompts';

/** Registers the storage-s3 file system, its editors' language and the conflict prompt. */
export function register(ctx: Ctx): void {
  const { tree, fs } = ctx.s3;
  ctx.subscribe(
    vscode.workspace.registerFileSystemProvider(S3_SCHEME, fs, { isCaseSensitive: true }),
    followInnerLanguage(S3_SCHEME),
    fs.onDidConflict((c) => void offerConflictChoices(ctx, c)),
    // A save from an editor (or a command's change) redraws only the folder that shows the object.
    fs.onDidChangeFile((events) => events.forEach((e) => void tree.changed(parseS3Uri(e.uri)))),
    // A save to S3 is a network write: say it landed, and where.
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.scheme !== S3_SCHEME) return;
      const loc = parseS3Uri(doc.uri);
      void inform(`Saved ${s3UriText(loc.bucket, loc.key)} to S3.`, { title: 'Reveal', run: () => vscode.commands.executeCommand('storageInspector.s3.reveal', { connectionId: loc.connectionId, bucket: loc.bucket, key: loc.key }) });
    }),
  );
}
