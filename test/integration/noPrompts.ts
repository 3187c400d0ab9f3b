// Integration suites answer every prompt through the commands' Answers argument. A prompt that
// reaches the user instead would wait for a click that never comes (60 s, then a timeout), so
// these stubs make it fail at once and name it.
import * as vscode from 'vscode';

type Window = Record<string, (...args: unknown[]) => unknown>;

const unexpected: string[] = [];
const originals = new Map<string, (...args: unknown[]) => unknown>();

/** What a prompt is about, from its title, prompt, placeholder or message. */
function describePrompt(name: string, args: unknown[]): string {
  const first = args.find((a) => typeof a === 'string') as string | undefined;
  const opts = args.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a)) as { title?: string; prompt?: string; placeHolder?: string } | undefined;
  return `${name}(${JSON.stringify(first ?? opts?.title ?? opts?.prompt ?? opts?.placeHolder ?? '')})`;
}

function refuse(name: string, args: unknown[]): never {
  const what = describePrompt(name, args);
  unexpected.push(what);
  throw new Error(`unexpected prompt in a test: ${what}; pass the answer in the command's Answers argument`);
}

/** Installs the stubs: input boxes, pickers (built or not), file dialogs and modal messages fail at once. */
export function refusePrompts(): void {
  const w = vscode.window as unknown as Window;
  for (const name of ['showInputBox', 'showQuickPick', 'showOpenDialog', 'showSaveDialog', 'showWorkspaceFolderPick']) {
    originals.set(name, w[name]!);
    w[name] = (...args: unknown[]) => refuse(name, args);
  }
  // Multi-step inputs and pickers with buttons are built objects: refuse when one is shown.
  for (const name of ['createQuickPick', 'createInputBox']) {
    const original = w[name]!;
    originals.set(name, original);
    w[name] = (...args: unknown[]) => {
      const made = original.apply(vscode.window, args) as { show(): void; title?: string; placeholder?: string; prompt?: string };
      made.show = () => refuse(name, [made.title ?? made.prompt ?? made.placeholder ?? '']);
      return made;
    };
  }
  for (const name of ['showWarningMessage', 'showInformationMessage', 'showErrorMessage']) {
    const original = w[name]!;
    originals.set(name, original);
    // Non-modal notifications do not wait for the user; they pass through.
    w[name] = (...args: unknown[]) => ((args[1] as { modal?: boolean } | undefined)?.modal ? refuse(name, args) : original.apply(vscode.window, args));
  }
}

/** The prompts refused since the last call (a mocha root hook fails the test that caused them). */
export function takeUnexpectedPrompts(): string[] {
  return unexpected.splice(0, unexpected.length);
}
