import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { cancelled } from '../../core/errors';
import type { Ctx } from '../ctx';
import { type Answers, openDialog, pick } from '../prompts';
import { commandTarget } from '../target';
import { pathOf } from './nodes';
import { localRoots } from './settings';
import { LOCAL_SCHEME } from './uri';

/** What a command can act on: a file, a folder, or either. */
export type PathKind = 'file' | 'folder' | 'any';

async function kindOf(path: string): Promise<'file' | 'folder' | undefined> {
  const st = await stat(path).catch(() => undefined);
  return st?.isDirectory() ? 'folder' : st?.isFile() ? 'file' : undefined;
}

/**
 * The file or folder a command acts on, by the one target rule (src/vscode/target.ts): its
 * argument (tree node, file or storage-local URI, or path), else the active editor's file,
 * else the selection of the Local view while it is visible, else a picker.
 */
export async function targetPath(ctx: Ctx, arg: unknown, kind: PathKind = 'any', answers: Answers = {}): Promise<string> {
  const fits = async (p: string | undefined) => (p !== undefined && (kind === 'any' || (await kindOf(p)) === kind) ? p : undefined);
  const path = await commandTarget(arg, {
    fromArg: (a) => (a instanceof vscode.Uri ? uriPath(ctx, a) : pathOf(a)),
    fromResource: (uri) => fits(uriPath(ctx, uri)),
    view: ctx.local.view,
    fromNode: (n) => fits(pathOf(n)),
    pick: () => pickPath(kind, answers),
  });
  if (path === undefined) throw cancelled('Choosing a file or folder');
  return path;
}

/** The path on disk of a file: or storage-local: URI (undefined for any other scheme). */
function uriPath(ctx: Ctx, uri: vscode.Uri): string | undefined {
  if (uri.scheme === 'file') return uri.fsPath;
  if (uri.scheme === LOCAL_SCHEME) return ctx.local.fs.pathFor(uri);
  return undefined;
}

/** Nothing names a target: offer what is at hand (open files, or roots and workspace folders), and Browse. */
async function pickPath(kind: PathKind, answers: Answers): Promise<string | undefined> {
  if (answers.text !== undefined) return answers.text;
  const seen = new Set<string>();
  const items: (vscode.QuickPickItem & { path?: string })[] = [];
  const add = (path: string, label: string, icon: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    items.push({ label: `$(${icon}) ${label}`, description: path, path });
  };
  if (kind !== 'folder') {
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
      if (uri?.scheme === 'file') add(uri.fsPath, tab.label, 'file');
    }
  }
  if (kind !== 'file') {
    for (const r of localRoots()) add(r.path, r.name, 'root-folder');
    for (const f of vscode.workspace.workspaceFolders ?? []) if (f.uri.scheme === 'file') add(f.uri.fsPath, f.name, 'folder');
  }
  const browse: vscode.QuickPickItem & { path?: string } = { label: '$(folder-opened) Browse...' };
  const what = kind === 'file' ? 'a file' : kind === 'folder' ? 'a folder' : 'a file or folder';
  const picked = items.length === 0 ? browse : await pick<vscode.QuickPickItem & { path?: string }>([...items, browse], { title: `Choose ${what}`, matchOnDescription: true }, answers);
  if (!picked) return undefined;
  if (picked.path) return picked.path;
  const uri = await openDialog({ title: `Choose ${what}`, canSelectFiles: kind !== 'folder', canSelectFolders: kind !== 'file', openLabel: 'Choose' }, answers);
  return uri?.fsPath;
}

/** Reads an options object passed by a test or another command; anything else means "ask". */
export function optionsArg<T extends object>(arg: unknown): Partial<T> {
  return arg && typeof arg === 'object' && !Array.isArray(arg) && !('kind' in arg) && !('scheme' in arg) ? (arg as Partial<T>) : {};
}
