import { readdirSync } from 'node:fs';
import type { TreeNode } from './model';
import { statNode } from './nodeFromStat';

/**
 * Entries a walk ahead keeps at most, so a huge tree costs bounded memory: about 0.8 KB of heap
 * each (10,400 entries of the bench tree: 8.4 MB of heap, 21 MB of RSS, measured).
 */
export const PREWALK_MAX = 20_000;
/** Entries between two turns of the event loop, so the walk never holds this thread for long. */
const BATCH = 256;

/** A child's path as the backup's walk builds it (plain concatenation, no normalising). */
export function childPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/**
 * The folders to back up, listed and lstat'ed ahead of the backup's own walk: while scrypt
 * derives the key on the thread pool and while the lock protocol waits, this thread would
 * otherwise sit idle. The backup takes each entry from here instead of asking the file system
 * again, and asks it for the rest (past PREWALK_MAX, or after stop()). The result is the same
 * as a walk that started a little earlier; a file whose content will be read is stat'ed again
 * when it is read, so its metadata and its bytes come from the same moment.
 */
export class Prewalk {
  private readonly nodes = new Map<string, TreeNode>();
  private readonly names = new Map<string, string[]>();
  private stopped = false;
  private kept = 0;
  /** Settles when the walk has ended (finished, stopped or full); it never rejects. */
  readonly done: Promise<void>;

  private constructor(paths: string[], private readonly max: number) {
    this.done = this.walk(paths).catch(() => undefined);
  }

  /** Starts walking `paths` (absolute, as the backup resolves them) on the next turn. */
  static start(paths: string[], max = PREWALK_MAX): Prewalk {
    return new Prewalk(paths, max);
  }

  /** Ends the walk: what it has kept stays to be taken. */
  stop(): void {
    this.stopped = true;
  }

  /** Ends the walk and lets go of all it kept (a backup with no parent snapshot has no use for it). */
  clear(): void {
    this.stopped = true;
    this.nodes.clear();
    this.names.clear();
  }

  /** The node the walk made for `path`, handed over once (it is the caller's to change). */
  takeNode(path: string): TreeNode | undefined {
    const n = this.nodes.get(path);
    if (n) this.nodes.delete(path);
    return n;
  }

  /** The names the walk listed in the folder `path`, handed over once. */
  takeNames(path: string): string[] | undefined {
    const n = this.names.get(path);
    if (n) this.names.delete(path);
    return n;
  }

  private async walk(paths: string[]): Promise<void> {
    const stack: { path: string; name: string }[] = [];
    for (let i = paths.length - 1; i >= 0; i--) stack.push({ path: paths[i]!, name: paths[i]!.split('/').pop() ?? '' });
    let batch = 0;
    await new Promise<void>((r) => setImmediate(r));
    while (stack.length > 0 && !this.stopped && this.kept < this.max) {
      const { path, name } = stack.pop()!;
      let node: TreeNode;
      try {
        node = statNode(path, name);
      } catch {
        continue; // the backup's own walk meets it again and says what went wrong
      }
      this.nodes.set(path, node);
      this.kept++;
      if (node.type === 'dir') {
        let names: string[];
        try {
          names = readdirSync(path);
        } catch {
          continue;
        }
        this.names.set(path, names);
        for (let i = names.length - 1; i >= 0; i--) stack.push({ path: childPath(path, names[i]!), name: names[i]! });
      }
      if (++batch >= BATCH) {
        batch = 0;
        await new Promise<void>((r) => setImmediate(r));
      }
    }
  }
}
