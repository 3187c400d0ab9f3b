import { basename } from 'node:path';
import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import { statPath } from '../../core/local/entry';
import { readHead } from '../../core/local/read';
import type { LocalRoot } from '../../core/local/roots';
import { checkOpenSize, hasLayers } from '../fs/documentCodec';
import { applyInnerLanguage } from '../fs/innerLanguage';
import type { Answers } from '../prompts';
import { localRoots } from './settings';
import { localUri } from './uri';

/** The root holding `path`, or a BadInput saying to add one. */
export function rootContaining(path: string): LocalRoot {
  const root = localRoots()
    .filter((r) => path === r.path || path.startsWith(r.path + '/'))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!root) throw storageError('BadInput', `${path} is not inside a local root. Add its folder with "Add Local Root..." first.`);
  return root;
}

/** Whether a local file opens through storage-local:// (it has gzip/age layers), by the one rule. */
export async function isLayered(path: string): Promise<boolean> {
  return hasLayers(basename(path), await readHead(path));
}

/**
 * Opens a file in an editor tab: a plain file as itself, a gzip/age file decoded through
 * storage-local:// with the inner name's language. Big files ask first; too big ones are refused.
 */
export async function openDecoded(path: string, answers: Answers = {}): Promise<vscode.Uri> {
  const entry = await statPath(path);
  if (entry.kind === 'folder') throw storageError('BadInput', `${path} is a folder. Pick a file to open.`);
  if (!(await isLayered(path))) {
    // VS Code opens plain files itself, with its own large-file handling.
    const uri = vscode.Uri.file(path);
    await vscode.commands.executeCommand('vscode.open', uri);
    return uri;
  }
  await checkOpenSize(entry.size, basename(path), answers);
  const uri = localUri(rootContaining(path), path);
  const doc = await vscode.workspace.openTextDocument(uri);
  await applyInnerLanguage(doc);
  await vscode.window.showTextDocument(doc, { preview: false });
  return uri;
}
