import type { Ctx } from '../ctx';

/** One command: `id` without the prefix, e.g. 'local.addRoot'. */
export interface CommandSpec {
  id: string;
  // Commands receive tree nodes, URIs or test arguments; each checks what it gets.
  run: (ctx: Ctx, ...args: any[]) => unknown;
}
