import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend, FileType } from '../../../src/core/backup/backend';
import { backup } from '../../../src/core/backup/backup';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { ParentTrees } from '../../../src/core/backup/parentTrees';
import { Repository } from '../../../src/core/backup/repository';
import { PASSWORD, passwordFile, restic, tempDir } from './helpers';

/** A local backend that counts ranged reads of packs. */
function counting(url: string): { backend: Backend; reads: () => number } {
  const inner = new LocalBackend(url);
  let n = 0;
  const backend = Object.assign(Object.create(inner) as Backend, {
    read(type: FileType, name: string, range?: { offset: number; length: number }) {
      if (type === 'data') n++;
      return inner.read(type, name, range);
    },
  });
  return { backend, reads: () => n };
}

describe('parent trees read ahead', () => {
  it('gives each subfolder tree exactly as loadTree does, in fewer reads', async () => {
    const dir = tempDir('ptrees');
    const pw = passwordFile(dir);
    const root = join(dir, 'tree');
    for (let i = 0; i < 9; i++) {
      mkdirSync(join(root, `sub${i}`, 'inner'), { recursive: true });
      writeFileSync(join(root, `sub${i}`, 'inner', 'file'), `file ${i}\n`.repeat(i + 1));
    }
    const url = join(dir, 'repo');
    await restic(pw, url, 'init', '--repository-version', '2');
    await backup(await Repository.open(new LocalBackend(url), PASSWORD), { paths: [root] });

    const { backend, reads } = counting(url);
    const repo = await Repository.open(backend, PASSWORD);
    await repo.loadIndex();
    const snap = (await repo.snapshots())[0]!;
    // down the absolute path to the backed-up folder, then its subfolders
    let treeId = snap.tree;
    for (const part of root.split('/').filter(Boolean)) treeId = (await repo.loadTree(treeId)).nodes.find((n) => n.name === part)!.subtree!;
    const subtrees = (await repo.loadTree(treeId)).nodes.map((n) => n.subtree!);
    assert.equal(subtrees.length, 9);
    const expected = await Promise.all(subtrees.map((id) => repo.loadTree(id)));

    const trees = new ParentTrees(repo);
    const before = reads();
    await trees.prefetch(subtrees);
    const got = await Promise.all(subtrees.map((id) => trees.load(id)));
    assert.deepEqual(got, expected);
    assert.ok(reads() - before < subtrees.length, `${reads() - before} reads for ${subtrees.length} trees`);
    // taken once: a second load reads again, and is still the same tree
    assert.deepEqual(await trees.load(subtrees[0]!), expected[0]);
  });
});
