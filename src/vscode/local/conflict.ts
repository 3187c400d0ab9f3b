import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import { atomicWrite } from '../../core/local/atomicWrite';
import { readLimited } from '../../core/local/read';
import type { Ctx } from '../ctx';
import { decodeDocument, documentKey, maxOpenBytes } from '../fs/documentCodec';
import { languageForName } from '../fs/innerLanguage';
import { type Answers, input, offer } from '../prompts';
import type { LocalSaveConflict } from './fileSystem';
import { tellChanged } from './feedback';

export const CONFLICT_CHOICES = ['Compare', 'Overwrite', 'Save As Copy...', 'Reload'] as const;
export type ConflictChoice = (typeof CONFLICT_CHOICES)[number];
export type ConflictOutcome = 'compared' | 'overwritten' | 'copied' | 'reloaded' | undefined;

/** `name.json.gz` -> `name-copy.json.gz` (the layers stay at the end, so the copy opens the same way). */
export function copyName(name: string): string {
  const dot = name.indexOf('.', 1);
  return dot < 0 ? `${name}-copy` : `${name.slice(0, dot)}-copy${name.slice(dot)}`;
}

const openDoc = (uri: vscode.Uri) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());

/**
 * A Local save lost a race: offer to look at their version, write ours over it, keep ours in a
 * new file, or take theirs. Their version is never replaced unless "Overwrite" is chosen.
 */
export async function offerLocalConflict(ctx: Ctx, c: LocalSaveConflict, answers: Answers = {}): Promise<ConflictOutcome> {
  const name = basename(c.path);
  const what = c.theirs ? 'was changed by another program' : 'was deleted by another program';
  const choice = await offer(
    'error',
    `${name} ${what} since you opened it, so your save was refused and their version is safe. Compare them, Overwrite theirs, Save As Copy... (yours in a new file), or Reload theirs (drops your edits)?`,
    CONFLICT_CHOICES,
    answers,
  );
  switch (choice) {
    case 'Compare':
      await compareWithTheirs(ctx, c);
      // Looking is not deciding: ask again (a test that answered stops here).
      if (answers.pick === undefined) void offerLocalConflict(ctx, c);
      return 'compared';
    case 'Overwrite': {
      const content = contentNow(c);
      await ctx.local.fs.overwrite(c.uri, content, c.theirs);
      // The file now holds our text; reverting clears the dirty mark without changing it.
      await revert(c.uri);
      tellChanged(ctx, `Saved your version over theirs in ${name}.`, { reveal: c.path });
      return 'overwritten';
    }
    case 'Save As Copy...': {
      const dest = await input({ title: 'Save your version as a copy', prompt: 'A new file (it must not exist yet)', value: join(dirname(c.path), copyName(name)) }, answers);
      if (!dest) return undefined;
      const bytes = await ctx.local.fs.encodeFor(c.uri, dest, contentNow(c));
      await atomicWrite(dest, bytes, { exclusive: true });
      ctx.local.fs.settleConflict(c.uri);
      tellChanged(ctx, `Saved your version as ${basename(dest)}. ${name} was not changed; your edits stay unsaved in its tab.`, { open: dest, reveal: dest });
      return 'copied';
    }
    case 'Reload':
      ctx.local.fs.settleConflict(c.uri);
      await revert(c.uri);
      return 'reloaded';
    default:
      return undefined;
  }
}

/** "Resolve Local Save Conflict...": the offer again, for a document whose save was refused. */
export async function resolveConflict(ctx: Ctx, uri: vscode.Uri | undefined, answers: Answers): Promise<ConflictOutcome> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  const c = target ? ctx.local.fs.pendingConflict(target) : undefined;
  if (!c) {
    throw storageError('NotFound', `${target ? basename(target.path) : 'The active editor'} has no refused save waiting. Save it; if someone else changed the file, the choices are offered then.`);
  }
  return offerLocalConflict(ctx, c, answers);
}

/** What the tab holds now (the user may have typed on after the refused save). */
function contentNow(c: LocalSaveConflict): Uint8Array {
  const doc = openDoc(c.uri);
  if (!doc) return c.content;
  return new TextDecoder().decode(c.content) === doc.getText() ? c.content : new TextEncoder().encode(doc.getText());
}

async function revert(uri: vscode.Uri): Promise<void> {
  const doc = openDoc(uri);
  if (!doc) return;
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

async function compareWithTheirs(ctx: Ctx, c: LocalSaveConflict): Promise<void> {
  const name = basename(c.path);
  let text = '';
  try {
    const bytes = await readLimited(c.path, maxOpenBytes());
    text = new TextDecoder().decode((await decodeDocument(ctx, documentKey(c.uri), name, bytes)).plaintext);
  } catch (e) {
    if ((e as { code?: string }).code !== 'NotFound') throw e;
    // Deleted: theirs is empty.
  }
  const language = languageForName(name);
  const theirs = await vscode.workspace.openTextDocument({ content: text, ...(language ? { language } : {}) });
  await vscode.commands.executeCommand('vscode.diff', theirs.uri, c.uri, `${name}: theirs (on disk) ↔ yours`);
}
