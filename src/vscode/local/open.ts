import { basename } from 'node:path';
import * as vscode from 'vscode';
import { cancelled, storageError } from '../../core/errors';
import { statPath } from '../../core/local/entry';
import { checkSize, formatBytes } from '../../core/local/limits';
import { sniff } from '../../core/local/magic';
import { readHead } from '../../core/local/read';
import type { LocalRoot } from '../../core/local/roots';
import { layersFromName } from '../../core/names';
import type { Ctx } from '../ctx';
import { localUri } from './uri';
import { applyInnerLanguage } from '../fs/innerLanguage';
import { localSettings } from './settings';

export interface OpenOptions {
  /** Skip the "this file is large" question (tests, and callers that already asked). */
  force?: boolean;
}

/** The root holding `path`, or a BadInput saying to add one. */
export function rootContaining(ctx: Ctx, path: string): LocalRoot {
  const root = localSettings(ctx)
    .roots()
    .filter((r) => path === r.path || path.startsWith(r.path + '/'))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!root) throw storageError('BadInput', `${path} is not inside a local root. Add its folder with "Add Local Root..." first.`);
  return root;
}

/**
 * Opens a file in an editor tab: a plain file as itself, a gzip/age file decoded through
 * storage-local:// with the inner name's language. Big files ask first; too big ones are refused.
 */
export async function openDecoded(ctx: Ctx, path: string, options: OpenOptions = {}): Promise<vscode.Uri> {
  const entry = await statPath(path);
  if (entry.kind === 'folder') throw storageError('BadInput', `${path} is a folder. Pick a file to open.`);
  const settings = localSettings(ctx);
  const name = basename(path);
  const isPipeline = layersFromName(name).length > 0 || sniff(await readHead(path)) !== 'plain';
  if (!isPipeline) {
    // VS Code opens plain files itself, with its own large-file handling.
    const uri = vscode.Uri.file(path);
    await vscode.commands.executeCommand('vscode.open', uri);
    return uri;
  }
  checkSize(entry.size, settings.maxOpen(), name);
  if (entry.size > settings.confirmAbove() && !options.force) {
    const open = 'Open';
    const answer = await vscode.window.showWarningMessage(
      `${name} is ${formatBytes(entry.size)} on disk, and more once decoded. Open it in an editor anyway?`,
      { modal: true },
      open,
    );
    if (answer !== open) throw cancelled(`Opening ${name}`);
  }
  const uri = localUri(rootContaining(ctx, path), path);
  const doc = await vscode.workspace.openTextDocument(uri);
  await applyInnerLanguage(doc);
  await vscode.window.showTextDocument(doc, { preview: false });
  return uri;
}
