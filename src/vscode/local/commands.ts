import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import { statPath } from '../../core/local/entry';
import { rootFor } from '../../core/local/roots';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { type Answers, answersOf, pick } from '../prompts';
import { treeRows } from '../treeRows';
import { optionsArg, type PathKind, targetPath } from './args';
import { resolveConflict } from './conflict';
import { tellChanged } from './feedback';
import { computeChecksum, verifyManifestFor, writeManifestFor } from './integrity';
import type { LocalNode } from './nodes';
import { openDecoded } from './open';
import { localRoots, saveRootPaths } from './settings';
import { transformFile, type TransformOptions } from './transform';

// Menus may pass the selection as a second argument; only a string names an algorithm.
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const path = (ctx: Ctx, arg: unknown, kind: PathKind = 'any', answers: Answers = {}) => targetPath(ctx, arg, kind, answers);

/** "Add Local Root...": a path or URI argument skips the picker; workspace folders are offered, never added unasked. */
async function addRoot(ctx: Ctx, arg?: unknown): Promise<string | undefined> {
  let chosen = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : undefined;
  if (!chosen) {
    const current = new Set(localRoots().map((r) => r.path));
    const offered = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file' && !current.has(rootFor(f.uri.fsPath).path));
    const browse = { label: '$(folder-opened) Browse...', path: undefined as string | undefined };
    const picked = offered.length === 0 ? browse : await pick([...offered.map((f) => ({ label: `$(root-folder) ${f.name}`, description: f.uri.fsPath, path: f.uri.fsPath as string | undefined })), browse], { title: 'Add Local Root' });
    if (!picked) return undefined;
    chosen = picked.path ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Add Root' }))?.[0]?.fsPath;
    if (!chosen) return undefined;
  }
  const entry = await statPath(chosen);
  if (entry.kind !== 'folder') throw storageError('BadInput', `${chosen} is not a folder. Pick a folder as the root.`);
  const root = rootFor(chosen);
  const paths = localRoots().map((r) => r.path);
  const added = !paths.includes(root.path);
  if (added) await saveRootPaths([...paths, root.path]);
  ctx.local.syncWatchers();
  ctx.local.tree.refresh();
  tellChanged(ctx, added ? `Added ${root.name} (${root.path}) to the Local view.` : `${root.name} is already a root in the Local view.`, { reveal: root.path });
  return root.id;
}

async function removeRoot(ctx: Ctx, arg?: unknown): Promise<void> {
  const p = rootFor(await path(ctx, arg, 'folder')).path;
  const paths = localRoots().map((r) => r.path);
  if (!paths.includes(p)) throw storageError('NotFound', `${p} is not a root of the Local view, so there is nothing to remove. Pick one of the roots shown there.`);
  await saveRootPaths(paths.filter((r) => r !== p));
  ctx.local.syncWatchers();
  ctx.local.tree.refresh();
  tellChanged(ctx, `Removed ${p} from the Local view; the folder itself was not touched.`);
}

/** Test hook: the Local view's rows under a folder already shown (undefined: the roots). */
async function internalRows(ctx: Ctx, path?: string, depth?: number) {
  return treeRows(ctx.local.tree, await ctx.local.tree.childrenAt(path), depth);
}

/** Test hook: the badge the Local view gives a file. */
async function internalDecoration(ctx: Ctx, path: string) {
  const d = await ctx.local.decorations.provideFileDecoration(vscode.Uri.file(path));
  return d ? { badge: d.badge, tooltip: d.tooltip } : undefined;
}

export const commands: CommandSpec[] = [
  { id: 'local.internal.rows', run: internalRows },
  { id: 'local.internal.decoration', run: internalDecoration },
  { id: 'local.addRoot', run: addRoot },
  { id: 'local.removeRoot', run: removeRoot },
  { id: 'local.refresh', run: (ctx) => ctx.local.tree.refresh() },
  {
    id: 'local.loadMore',
    run: (ctx, node: LocalNode) => (node?.kind === 'more' ? ctx.local.tree.loadMore(node) : undefined),
  },
  { id: 'local.open', run: async (ctx, arg, opts) => openDecoded(ctx, await path(ctx, arg, 'file', answersOf(opts)), answersOf(opts)) },
  {
    id: 'local.openPlain',
    run: async (ctx, arg) => {
      const uri = vscode.Uri.file(await path(ctx, arg, 'file'));
      await vscode.commands.executeCommand('vscode.open', uri);
      return uri;
    },
  },
  {
    id: 'local.revealInExplorer',
    run: async (ctx, arg) => {
      const uri = vscode.Uri.file(await path(ctx, arg));
      // The Explorer can only show files of the workspace; elsewhere the OS file manager does.
      const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
      await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
    },
  },
  {
    id: 'local.copyPath',
    run: async (ctx, arg) => {
      const p = await path(ctx, arg);
      await vscode.env.clipboard.writeText(p);
      return p;
    },
  },
  {
    id: 'local.resolveConflict',
    run: (ctx, arg, opts) => resolveConflict(ctx, arg instanceof vscode.Uri ? arg : undefined, answersOf(arg instanceof vscode.Uri ? opts : arg)),
  },
  // (target, algorithm, answers): a test names the target's picker answer in the third argument.
  { id: 'local.computeChecksum', run: async (ctx, arg, algorithm?: unknown, opts?: unknown) => computeChecksum(ctx, await path(ctx, arg, 'file', answersOf(opts)), str(algorithm)) },
  { id: 'local.writeManifest', run: async (ctx, arg, algorithm?: unknown, opts?: unknown) => writeManifestFor(ctx, await path(ctx, arg, 'folder', answersOf(opts)), str(algorithm)) },
  {
    id: 'local.verifyManifest',
    run: async (ctx, arg, algorithm?: unknown, opts?: unknown) => verifyManifestFor(ctx, await path(ctx, arg, 'any', answersOf(opts)), ctx.local.verifyResults, str(algorithm), answersOf(opts)),
  },
  ...(['encrypt', 'decrypt', 'compress', 'decompress'] as const).map((op) => ({
    id: `local.${op}`,
    run: async (ctx: Ctx, arg: unknown, opts?: unknown) => transformFile(ctx, op, await path(ctx, arg, 'file', answersOf(opts)), optionsArg<TransformOptions>(opts)),
  })),
];

