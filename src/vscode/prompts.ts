import * as vscode from 'vscode';
import { messageOf } from '../core/errors';

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
  /**
   * Answers a multi-step input, one entry per step shown, in order: the typed value or the
   * picked label, or BACK for the Back button. A value that fails a step's check is refused as
   * it would be while typing, and the next entry answers the same step again.
   */
  steps?: string[];
  /** Told each step of a multi-step input as it is shown (its counter, value and any check message). */
  onStep?: (shown: StepShown) => void;
}

/** The answer that presses a multi-step input's Back button. */
export const BACK = '<back>';

/** One step of a multi-step input as the user saw it. */
export interface StepShown {
  /** "Step 2 of 6". */
  counter: string;
  title: string;
  /** What the step opened with (kept from before, after Back or a failed test); a secret shows as ***. */
  prefilled?: string;
  value?: string;
  /** The check's message for what was typed, or a step's own (a failed connection test). */
  message?: string;
}

/** The Answers inside an options argument; anything else (a tree node, a URI) answers nothing. */
export function answersOf(arg: unknown): Answers {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg) || 'kind' in arg || 'scheme' in arg) return {};
  const a = arg as Record<string, unknown>;
  const out: Answers = {};
  if (typeof a.confirm === 'boolean') out.confirm = a.confirm;
  if (typeof a.pick === 'string') out.pick = a.pick;
  if (typeof a.text === 'string') out.text = a.text;
  if (Array.isArray(a.steps)) out.steps = a.steps.filter((x): x is string => typeof x === 'string');
  if (typeof a.onStep === 'function') out.onStep = a.onStep as (shown: StepShown) => void;
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

/** What can be done with a picked item: its id, and the codicon and tooltip of its button. */
export interface ItemAction<A extends string> {
  id: A;
  icon: string;
  tooltip: string;
}

/**
 * A quick pick whose Enter does the first action and whose items carry a button for each other
 * one. `answers.pick` chooses the item by label and `action` the action (the first if not given).
 * Undefined when dismissed.
 */
export async function pickWithActions<T extends vscode.QuickPickItem, A extends string>(
  items: readonly T[],
  actions: readonly [ItemAction<A>, ...ItemAction<A>[]],
  options: { title: string; matchOnDescription?: boolean },
  answers: Answers = {},
  action?: A,
): Promise<{ item: T; action: A } | undefined> {
  if (answers.pick !== undefined) {
    const item = items.find((i) => i.label === answers.pick);
    return item && { item, action: action ?? actions[0].id };
  }
  const others = actions.slice(1);
  const buttons = others.map((a) => ({ iconPath: new vscode.ThemeIcon(a.icon), tooltip: a.tooltip }));
  const shown = items.map((i) => ({ ...i, buttons }));
  const qp = vscode.window.createQuickPick<(typeof shown)[number]>();
  Object.assign(qp, { title: options.title, matchOnDescription: options.matchOnDescription ?? false, items: shown });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (v: { item: T; action: A } | undefined) => {
      if (settled) return;
      settled = true;
      resolve(v);
      qp.dispose();
    };
    const original = (i: (typeof shown)[number]) => items[shown.indexOf(i)]!;
    qp.onDidAccept(() => qp.selectedItems[0] && finish({ item: original(qp.selectedItems[0]), action: actions[0].id }));
    qp.onDidTriggerItemButton((e) => finish({ item: original(e.item), action: others[buttons.indexOf(e.button as (typeof buttons)[number])]!.id }));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
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

/** A follow-up offered with a done-message ("Open", "Reveal"): its button and what it does. */
export interface FollowUp<T extends string = string> {
  title: T;
  run: () => unknown;
}

/**
 * Says what a command changed, in a notification that does not wait for the user; a chosen
 * follow-up runs, and its failure is shown too. The returned promise settles after it ran.
 * The thin form of `offer`.
 */
export async function inform(message: string, ...followUps: FollowUp[]): Promise<void> {
  await offer('info', message, followUps);
}

/** What one step of a multi-step input asks. */
export interface StepOptions {
  /** 1-based; shown with `total` as "Step n of m" (total may change as answers change). */
  step: number;
  total: number;
  title: string;
  prompt?: string;
  placeHolder?: string;
  /** What was typed before (also after Back), so nothing is typed twice. */
  value?: string;
  password?: boolean;
  /** A message when the value cannot be used; checked while typing and on Enter. */
  validate?: (value: string) => string | undefined | Promise<string | undefined>;
}

/** A pick step: its items, and a message shown in full beside them (e.g. why a test failed). */
export interface PickStepOptions extends Omit<StepOptions, 'password' | 'validate'> {
  items: readonly { label: string; description?: string; detail?: string }[];
  /** Shown whole in an error notification while the step is up: a placeholder would cut it off. */
  message?: string;
}

/**
 * One multi-step input (QuickInput with "Step n of m" and a Back button). Each call shows one
 * step and resolves to the value, BACK, or undefined when the user closed it. `answers.steps`
 * answers it instead, in order. What is in a step's box when Back is pressed (even a value its
 * check refused) is what the step shows when it comes back, so nothing is typed twice.
 */
export class MultiStepInput {
  private readonly scripted: string[] | undefined;
  /** A step's unaccepted text, by title, kept across Back. */
  private readonly drafts = new Map<string, string>();

  constructor(private readonly answers: Answers = {}) {
    this.scripted = answers.steps ? [...answers.steps] : undefined;
  }

  async input(o: StepOptions): Promise<string | undefined> {
    const start = this.drafts.get(o.title) ?? o.value;
    this.drafts.delete(o.title);
    if (this.scripted) {
      let typed = start;
      for (;;) {
        const value = this.next(o);
        const message = value === BACK ? undefined : await o.validate?.(value);
        const prefilled = typed ? (o.password ? '***' : typed) : undefined;
        this.answers.onStep?.({ counter: counterOf(o), title: o.title, ...(prefilled ? { prefilled } : {}), value: o.password && value !== BACK ? '***' : value, ...(message ? { message } : {}) });
        if (value === BACK && typed !== undefined && typed !== o.value) this.drafts.set(o.title, typed);
        if (!message) return value;
        typed = value;
      }
    }
    const box = vscode.window.createInputBox();
    Object.assign(box, { title: o.title, step: o.step, totalSteps: o.total, value: start ?? '', prompt: o.prompt, placeholder: o.placeHolder, password: o.password ?? false, ignoreFocusOut: true });
    return showStep(box, o.step, (finish) => {
      const check = async (v: string) => (box.validationMessage = (await o.validate?.(v)) ?? '');
      box.onDidChangeValue((v) => void check(v));
      box.onDidAccept(async () => {
        box.busy = true;
        const message = await o.validate?.(box.value);
        box.busy = false;
        if (message) box.validationMessage = message;
        else finish(box.value);
      });
      box.show();
      if (start) void check(start);
    }, () => {
      if (box.value !== (o.value ?? '')) this.drafts.set(o.title, box.value);
    });
  }

  async pick(o: PickStepOptions): Promise<string | undefined> {
    if (this.scripted) {
      const message = o.message;
      for (;;) {
        const value = this.next(o);
        this.answers.onStep?.({ counter: counterOf(o), title: o.title, ...(o.value ? { prefilled: o.value } : {}), value, ...(message ? { message } : {}) });
        if (value === BACK || o.items.some((i) => i.label === value)) return value;
      }
    }
    const qp = vscode.window.createQuickPick();
    Object.assign(qp, { title: o.title, step: o.step, totalSteps: o.total, placeholder: o.placeHolder ?? o.prompt, ignoreFocusOut: true });
    return showStep(qp, o.step, (finish) => {
      qp.onDidAccept(() => qp.selectedItems[0] && finish(qp.selectedItems[0].label));
      qp.items = o.items.map((i) => ({ ...i }));
      if (o.message) void vscode.window.showErrorMessage(o.message);
      const chosen = qp.items.find((i) => i.label === o.value);
      if (chosen) qp.activeItems = [chosen];
      qp.show();
    });
  }

  private next(o: { step: number; total: number; title: string }): string {
    const v = this.scripted?.shift();
    if (v === undefined) throw new Error(`the scripted answers ran out at ${counterOf(o)}: ${o.title}`);
    return v;
  }
}

const counterOf = (o: { step: number; total: number }) => `Step ${o.step} of ${o.total}`;

/**
 * One step's QuickInput: a Back button after the first step, settled once (Back, accept or
 * hide) and disposed. `wire` adds what the step does on accept and shows it; `onBack` runs
 * before Back disposes it.
 */
function showStep(input: vscode.InputBox | vscode.QuickPick<vscode.QuickPickItem>, step: number, wire: (finish: (v: string | undefined) => void) => void, onBack?: () => void): Promise<string | undefined> {
  input.buttons = step > 1 ? [vscode.QuickInputButtons.Back] : [];
  return new Promise<string | undefined>((resolve) => {
    let settled = false;
    const finish = (v: string | undefined) => {
      if (settled) return;
      settled = true;
      resolve(v);
      input.dispose();
    };
    input.onDidTriggerButton((b) => {
      if (b !== vscode.QuickInputButtons.Back) return;
      onBack?.();
      finish(BACK);
    });
    input.onDidHide(() => finish(undefined));
    wire(finish);
  });
}
/**
 * A notification (not modal) with buttons: labels, or follow-ups that run when chosen (a failing
 * one is shown as an error, never thrown). `answers.pick` names the button without showing it.
 * Resolves to the chosen label (undefined when dismissed) once its follow-up ran; callers that
 * only inform do not await the click.
 */
export async function offer<T extends string>(severity: 'info' | 'warning' | 'error', message: string, buttons: readonly (T | FollowUp<T>)[], answers: Answers = {}): Promise<T | undefined> {
  const titles = buttons.map((b) => (typeof b === 'string' ? b : b.title));
  const w = vscode.window;
  const show = severity === 'error' ? w.showErrorMessage : severity === 'warning' ? w.showWarningMessage : w.showInformationMessage;
  let chosen: T | undefined;
  try {
    chosen = answers.pick !== undefined ? titles.find((t) => t === answers.pick) : await show(message, ...titles);
    const followUp = buttons.find((b): b is FollowUp<T> => typeof b !== 'string' && b.title === chosen);
    await followUp?.run();
  } catch (e) {
    void w.showErrorMessage(messageOf(e));
  }
  return chosen;
}

/** The open dialog; `answers.text` is the chosen path. Undefined when dismissed. */
export async function openDialog(options: vscode.OpenDialogOptions, answers: Answers = {}): Promise<vscode.Uri | undefined> {
  if (answers.text !== undefined) return vscode.Uri.file(answers.text);
  return (await vscode.window.showOpenDialog({ ...options, canSelectMany: false }))?.[0];
}
