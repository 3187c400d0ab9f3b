import * as vscode from 'vscode';

/**
 * Answers given in place of the user, by a test or by a command that already asked. Every
 * command that prompts takes them in its options argument; a missing answer is asked.
 */
export interface Answers {
  /** Answers a yes/no question (delete, discard, open a large file): true goes ahead, false declines. */
  confirm?: boolean;
  /** Answers a choice by the label of the chosen item or button. */
  pick?: string;
  /** Answers a typed value (e.g. the bucket name that confirms deleting a full bucket). */
  text?: string;
}

/** The Answers inside an options argument; anything else (a tree node, a URI) answers nothing. */
export function answersOf(arg: unknown): Answers {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg) || 'kind' in arg || 'scheme' in arg) return {};
  const a = arg as Record<string, unknown>;
  const out: Answers = {};
  if (typeof a.confirm === 'boolean') out.confirm = a.confirm;
  if (typeof a.pick === 'string') out.pick = a.pick;
  if (typeof a.text === 'string') out.text = a.text;
  return out;
}

/** A modal yes/no with one action button; `answers.confirm` answers it without asking. */
export async function confirm(message: string, action: string, answers: Answers = {}): Promise<boolean> {
  if (answers.confirm !== undefined) return answers.confirm;
  return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
}

/** A modal choice between buttons; `answers.pick` names the button. Undefined when dismissed. */
export async function choose<T extends string>(message: string, buttons: readonly T[], answers: Answers = {}): Promise<T | undefined> {
  if (answers.pick !== undefined) return buttons.find((b) => b === answers.pick);
  return vscode.window.showWarningMessage(message, { modal: true }, ...buttons);
}

const labelOf = (i: vscode.QuickPickItem | string): string => (typeof i === 'string' ? i : i.label);

/** A quick pick of one item (or label); `answers.pick` chooses the item with that label. Undefined when dismissed. */
export async function pick<T extends vscode.QuickPickItem | string>(items: readonly T[], options: vscode.QuickPickOptions, answers: Answers = {}): Promise<T | undefined> {
  if (answers.pick !== undefined) return items.find((i) => labelOf(i) === answers.pick);
  return (await vscode.window.showQuickPick(items as readonly vscode.QuickPickItem[], { ...options, canPickMany: false })) as T | undefined;
}

/** A quick pick of several items, in the order picked. Undefined when dismissed. */
export async function pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T[] | undefined> {
  return vscode.window.showQuickPick(items, { ...options, canPickMany: true });
}

/** An input box; `answers.text` is the typed value. Undefined when dismissed. */
export async function input(options: vscode.InputBoxOptions, answers: Answers = {}): Promise<string | undefined> {
  if (answers.text !== undefined) return answers.text;
  return vscode.window.showInputBox(options);
}

/** Runs long work under a cancellable notification; the user's cancel aborts the signal. */
export function withProgress<T>(title: string, work: (signal: AbortSignal, report: (message: string, increment?: number) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    return work(ac.signal, (message, increment) => progress.report({ message, ...(increment !== undefined ? { increment } : {}) }));
  });
}

/**
 * A notification (not modal) with follow-up buttons; `answers.pick` names the button without
 * showing it. Undefined when dismissed. Callers that only inform do not await the click.
 */
export async function offer<T extends string>(severity: 'info' | 'warning' | 'error', message: string, buttons: readonly T[], answers: Answers = {}): Promise<T | undefined> {
  if (answers.pick !== undefined) return buttons.find((b) => b === answers.pick);
  const w = vscode.window;
  if (severity === 'error') return w.showErrorMessage(message, ...buttons);
  if (severity === 'warning') return w.showWarningMessage(message, ...buttons);
  return w.showInformationMessage(message, ...buttons);
}

/** The open dialog; `answers.text` is the chosen path. Undefined when dismissed. */
export async function openDialog(options: vscode.OpenDialogOptions, answers: Answers = {}): Promise<vscode.Uri | undefined> {
  if (answers.text !== undefined) return vscode.Uri.file(answers.text);
  return (await vscode.window.showOpenDialog({ ...options, canSelectMany: false }))?.[0];
}
