import type * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { LocalTreeProvider } from '../views/localTree';
import type { LocalDecorations } from './decorations';

/** What the Local view's commands share with its registrations, one per extension instance. */
export interface LocalState {
  tree: LocalTreeProvider;
  view: vscode.TreeView<unknown>;
  decorations: LocalDecorations;
  verifyResults: vscode.DiagnosticCollection;
  /** Starts or stops root watchers after the roots setting changed. */
  syncWatchers(): void;
}

const states = new WeakMap<Ctx, LocalState>();

export function setLocalState(ctx: Ctx, state: LocalState): void {
  states.set(ctx, state);
}

export function localState(ctx: Ctx): LocalState | undefined {
  return states.get(ctx);
}
