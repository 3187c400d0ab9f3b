import { resolve } from 'node:path';

/**
 * Serializes work per path inside this process: each caller waits for the one before it,
 * whatever that one's outcome, so two saves to one file never interleave.
 */
export class PathLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(path: string, work: () => Promise<T>): Promise<T> {
    const key = resolve(path);
    const before = this.tails.get(key) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(work);
    const tail = mine.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await mine;
    } finally {
      // Forget the path once nobody queued behind us, so the map does not grow.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Number of paths with work queued or running (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}

/** The process-wide locks used by every local save. */
export const saveLocks = new PathLocks();
