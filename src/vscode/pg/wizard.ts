import type * as vscode from 'vscode';
import { type Answers, input, pick } from '../prompts';

/**
 * Answers for a multi-step prompt, one per step in order, so a test walks a whole wizard:
 * `{ steps: [{ pick: 'Host and port' }, { text: '127.0.0.1' }, ...] }`. A missing step is asked.
 */
export interface StepAnswers { steps?: Answers[] }

export function stepAnswersOf(arg: unknown): StepAnswers {
  const steps = typeof arg === 'object' && arg !== null ? (arg as { steps?: unknown }).steps : undefined;
  return Array.isArray(steps) ? { steps: steps.filter((s): s is Answers => typeof s === 'object' && s !== null) } : {};
}

/** One wizard run: each prompt takes the next scripted answer, if any. */
export class Steps {
  private at = 0;
  constructor(private readonly script: StepAnswers = {}) {}

  private next(): Answers {
    return this.script.steps?.[this.at++] ?? {};
  }

  /** An input box; a scripted answer is still validated, so a test sees the message a user would. */
  async text(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const a = this.next();
    const v = await input(options, a);
    if (v !== undefined && a.text !== undefined && options.validateInput) {
      const problem = await options.validateInput(v);
      if (problem) throw new Error(typeof problem === 'string' ? problem : problem.message);
    }
    return v;
  }

  pick<T extends vscode.QuickPickItem | string>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    return pick(items, options, this.next());
  }
}
