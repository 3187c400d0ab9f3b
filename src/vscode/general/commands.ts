import type { CommandSpec } from '../commands/spec';

export const commands: CommandSpec[] = [
  { id: 'showLog', run: (ctx) => ctx.log.show() },
  {
    // Lets tests and the bench read activation figures without a second activation.
    id: 'internal.activationStats',
    run: (ctx) => ({ activationMs: ctx.activationMs, loadMs: ctx.loadMs, loaded: loadedBundles() }),
  },
];

/** Which lazy bundles are in the module cache right now. */
export function loadedBundles(): string[] {
  return Object.keys(require.cache)
    .filter((p) => /[\\/]dist[\\/](codec|s3|sql|sql-worker)\.js$/.test(p))
    .map((p) => p.replace(/^.*[\\/]/, ''));
}
