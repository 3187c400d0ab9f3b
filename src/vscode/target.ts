import * as vscode from 'vscode';

/**
 * The one rule for what a command acts on, in every area: the argument (a menu's node or URI, a
 * keybinding's or a test's value), else the active editor's resource, else the selection of the
 * area's view when that view is visible, else a picker. A stale selection in a hidden view never
 * wins over the file the user is looking at.
 */
export interface TargetRule<T> {
  /** What an explicit argument names (undefined: the argument names nothing). */
  fromArg(arg: unknown): T | undefined | Promise<T | undefined>;
  /** What the active editor's resource names, when it fits the command. */
  fromResource(uri: vscode.Uri): T | undefined | Promise<T | undefined>;
  /** The area's view; its selection counts only while it is visible. */
  view?: vscode.TreeView<unknown> | undefined;
  /** What a selected tree node names, when it fits the command. */
  fromNode(node: unknown): T | undefined | Promise<T | undefined>;
  /** Asked when nothing above fits (undefined: the user dismissed it). */
  pick(): Promise<T | undefined>;
}

/** The resource of the active editor: a text editor, else the active tab (custom, notebook or diff editors). */
export function activeResource(): vscode.Uri | undefined {
  const text = vscode.window.activeTextEditor?.document.uri;
  if (text) return text;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputNotebook) return input.uri;
  if (input instanceof vscode.TabInputTextDiff) return input.modified;
  return undefined;
}

/** Applies the rule; undefined only when the picker was dismissed. */
export async function commandTarget<T>(arg: unknown, rule: TargetRule<T>): Promise<T | undefined> {
  const fromArg = await rule.fromArg(arg);
  if (fromArg !== undefined) return fromArg;
  const resource = activeResource();
  const fromResource = resource ? await rule.fromResource(resource) : undefined;
  if (fromResource !== undefined) return fromResource;
  if (rule.view?.visible) {
    for (const node of rule.view.selection) {
      const fromNode = await rule.fromNode(node);
      if (fromNode !== undefined) return fromNode;
    }
  }
  return rule.pick();
}
