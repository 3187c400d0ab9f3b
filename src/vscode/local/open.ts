import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import { statPath } from '../../core/local/entry';
import { readHead } from '../../core/local/read';
import { type LocalRoot, rootFor } from '../../core/local/roots';
import type { Ctx } from '../ctx';
import { checkOpenSize, hasLayers } from '../fs/documentCodec';
import { applyInnerLanguage } from '../fs/innerLanguage';
import type { Answers } from '../prompts';
import { knownRoots } from './settings';
import { localUri } from './uri';

/** Whether a local file opens through storage-local:// (it has gzip/age layers), by the one rule. */
export async function isLayered(path: string): Promise<boolean> {
  return hasLayers(basename(path), await readHead(path));
}

/** The folder a storage-local URI of `path` is relative to: a root, a workspace folder, else its own folder. */
export function folderFor(ctx: Ctx, path: string): LocalRoot {
  const known = knownRoots(ctx.local.fs.extraRoots())
    .filter((r) => path === r.path || path.startsWith(r.path + '/'))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (known) return known;
  const own = rootFor(dirname(path));
  ctx.local.fs.addFolder(own);
  return own;
}

/**
 * Opens a file in an editor tab: a plain file as itself, a gzip/age file decoded through
 * storage-local:// with the inner name's language. Big files ask first; too big ones are refused.
 * Any file opens: one outside the roots is named relative to its workspace folder or its folder.
 */
export async function openDecoded(ctx: Ctx, path: string, answers: Answers = {}): Promise<vscode.Uri> {
  const entry = await statPath(path);
  if (entry.kind === 'folder') throw storageError('BadInput', `${path} is a folder. Pick a file to open.`);
  if (!(await isLayered(path))) {
    // VS Code opens plain files itself, with its own large-file handling.
    const uri = vscode.Uri.file(path);
    await vscode.commands.executeCommand('vscode.open', uri);
    return uri;
  }
  await checkOpenSize(entry.size, basename(path), answers);
  const uri = localUri(folderFor(ctx, path), path);
  const doc = await vscode.workspace.openTextDocument(uri);
  await applyInnerLanguage(doc);
  await vscode.window.showTextDocument(doc, { preview: false });
  return uri;
}
