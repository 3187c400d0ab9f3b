import type { CommandSpec } from '../commands/spec';

/** Extension-wide commands; they stay in the main bundle (the stats must not load anything). */
export const commands: CommandSpec[] = [
  { id: 'showLog', run: (ctx) => ctx.log.show() },
  {
    // Lets tests and the bench read activation figures without a second activation.
    id: 'internal.activationStats',
    run: (ctx) => ({ activationMs: ctx.activationMs, loadMs: ctx.loadMs, ...ctx.bundlesAtActivation }),
  },
];

const HEAVY = /[\\/]dist[\\/](codec|s3|sql|sql-worker|pg|backup)\.js$/;
const UI = /[\\/]dist[\\/][a-z0-9]+-ui\.js$/;

/** The heavy and area bundles in the module cache now; activate() keeps what they were when it ended. */
export function bundlesNow(): { loaded: string[]; ui: string[] } {
  return { loaded: loadedBundles(HEAVY), ui: loadedBundles(UI) };
}

/** Which lazy bundles are in the module cache right now. */
export function loadedBundles(which: RegExp): string[] {
  return Object.keys(require.cache)
    .filter((p) => which.test(p))
    .map((p) => p.replace(/^.*[\\/]/, ''));
}
