// The parent snapshot's trees, read the way an unchanged backup needs them: a folder's subfolder
// trees are mostly side by side in one pack (a backup writes them together), so they come in
// one ranged read instead of one read each. Each read is four file-system calls on libuv's small
// thread pool, and on a busy machine those calls, not the bytes, were most of the time.
import { storageError } from '../errors';
import type { Tree } from './model';
import { unquoteName } from './nameQuote';
import { decodeBlob, type IndexedBlob, type Repository } from './repository';

/** A ranged read may span at most this much, and must be at least a quarter wanted bytes. */
const MAX_SPAN = 2 * 1024 * 1024;
const MIN_DENSITY = 0.25;

function parseTree(plain: Uint8Array, id: string): Tree {
  try {
    const tree = JSON.parse(Buffer.from(plain.buffer, plain.byteOffset, plain.length).toString('utf8')) as Tree;
    for (const n of tree.nodes ?? []) n.name = unquoteName(n.name);
    return tree;
  } catch (e) {
    throw storageError('Integrity', `tree ${id.slice(0, 8)}: its JSON is damaged.`, e);
  }
}

export class ParentTrees {
  /** Trees fetched ahead and not yet taken; each is taken once. */
  private readonly ahead = new Map<string, Promise<Tree>>();

  constructor(private readonly repo: Repository) {}

  /** The tree, from a read ahead if one was made (verified as repo.loadTree verifies it). */
  load(id: string): Promise<Tree> {
    const p = this.ahead.get(id);
    if (!p) return this.repo.loadTree(id);
    this.ahead.delete(id);
    return p;
  }

  /** Starts reading these trees (the subfolders of one folder) in as few ranged reads as pays. */
  async prefetch(ids: readonly string[]): Promise<void> {
    const byPack = new Map<string, IndexedBlob[]>();
    for (const id of new Set(ids)) {
      if (this.ahead.has(id)) continue;
      const b = await this.repo.lookup('tree', id);
      if (!b) continue; // load() reports it
      const list = byPack.get(b.pack) ?? [];
      list.push(b);
      byPack.set(b.pack, list);
    }
    for (const [pack, blobs] of byPack) {
      blobs.sort((a, b) => a.offset - b.offset);
      // runs of blobs whose span stays small and dense enough; a run of one is a plain load
      let run: IndexedBlob[] = [];
      const flush = (): void => {
        if (run.length === 1) this.ahead.set(run[0]!.id, this.repo.loadTree(run[0]!.id));
        else if (run.length > 1) this.readRun(pack, run);
        run = [];
      };
      for (const b of blobs) {
        if (run.length > 0) {
          const start = run[0]!.offset;
          const span = b.offset + b.length - start;
          const wanted = run.reduce((n, x) => n + x.length, b.length);
          if (span > MAX_SPAN || wanted < span * MIN_DENSITY) flush();
        }
        run.push(b);
      }
      flush();
    }
  }

  private readRun(pack: string, run: IndexedBlob[]): void {
    const start = run[0]!.offset;
    const last = run[run.length - 1]!;
    const bytes = this.repo.backend.read('data', pack, { offset: start, length: last.offset + last.length - start });
    bytes.catch(() => undefined); // each tree's promise below carries the failure
    for (const b of run) {
      const tree = bytes.then((all) => {
        const sealed = all.subarray(b.offset - start, b.offset - start + b.length);
        if (sealed.length !== b.length) throw storageError('Integrity', `tree blob ${b.id.slice(0, 8)} in pack ${pack.slice(0, 8)}: the pack is shorter than the index says.`);
        return parseTree(decodeBlob(this.repo.key, b, sealed, `tree blob ${b.id.slice(0, 8)} in pack ${pack.slice(0, 8)}`), b.id);
      });
      tree.catch(() => undefined); // observed when load() takes it
      this.ahead.set(b.id, tree);
    }
  }
}
