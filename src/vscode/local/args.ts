import { storageError } from '../../core/errors';
import { pathOf } from './nodes';
import * as vscode from 'vscode';

/**
 * The file or folder a command acts on: its argument (tree node, URI or path, so tests skip
 * prompts), else the selection in the Local view, else the active editor's file.
 */
export function targetPath(arg: unknown, view?: vscode.TreeView<unknown>): string {
  const fromArg = pathOf(arg);
  if (fromArg) return fromArg;
  const selected = view?.selection[0];
  const fromSelection = selected === undefined ? undefined : pathOf(selected);
  if (fromSelection) return fromSelection;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') return active.fsPath;
  throw storageError('BadInput', 'No file or folder was given. Select one in the Local view first.');
}

/** Reads an options object passed by a test or another command; anything else means "ask". */
export function optionsArg<T extends object>(arg: unknown): Partial<T> {
  return arg && typeof arg === 'object' && !Array.isArray(arg) && !('kind' in arg) && !('scheme' in arg) ? (arg as Partial<T>) : {};
}
