import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seenTarget, type SeenTarget } from '../../../src/core/local/identity';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { restore } from '../../../src/core/backup/restore';
import { findNode } from '../../../src/core/backup/listing';
import { PASSWORD, passwordFile, restic, tempDir } from './helpers';

/**
 * An overwrite replaces a target only if it is still what was seen when the restore was planned
 * (or when the caller asked the user): a file another program changed in between is kept.
 */
describe('restore --overwrite is conditional on what the plan saw', () => {
  const dir = tempDir('restore-cond');
  const pw = passwordFile(dir);
  const repoPath = join(dir, 'repo');
  const tree = join(dir, 'tree');
  let repo: Repository;
  before(async () => {
    mkdirSync(tree);
    writeFileSync(join(tree, 'a.txt'), 'snapshot a\n');
    writeFileSync(join(tree, 'b.txt'), 'snapshot b\n');
    symlinkSync('a.txt', join(tree, 'link'));
    await restic(pw, repoPath, 'init', '--repository-version', '2');
    await restic(pw, repoPath, 'backup', tree);
    repo = await Repository.open(new LocalBackend(repoPath), PASSWORD);
  });

  /** A target holding the user's own copies of a.txt, b.txt and link. */
  function userCopies(name: string): string {
    const target = join(dir, name);
    mkdirSync(join(target, 'tree'), { recursive: true });
    writeFileSync(join(target, 'tree', 'a.txt'), 'user a\n');
    writeFileSync(join(target, 'tree', 'b.txt'), 'user b\n');
    symlinkSync('b.txt', join(target, 'tree', 'link'));
    return target;
  }

  /** The repository, with `between` run after the restore has looked at its targets and before it writes any. */
  async function withGap(between: () => void): Promise<Repository> {
    const r = await Repository.open(new LocalBackend(repoPath), PASSWORD);
    const snap = await r.findSnapshot('latest');
    const folder = (await findNode(r, snap.tree, tree))!.node!.subtree!;
    // the plan has read the folder's tree (the last step before it looks at the targets) when
    // the restore next asks for the index, just before it writes
    let planned = false;
    let fired = false;
    const loadTree = r.loadTree.bind(r);
    r.loadTree = async (id) => {
      const t = await loadTree(id);
      if (id === folder) planned = true;
      return t;
    };
    const loadIndex = r.loadIndex.bind(r);
    r.loadIndex = async () => {
      if (planned && !fired) {
        fired = true;
        between();
      }
      return loadIndex();
    };
    return r;
  }

  it('overwrite: true replaces files as they were at the plan', async () => {
    const target = userCopies('plain');
    await restore(repo, 'latest', { path: tree, target, overwrite: true });
    assert.equal(readFileSync(join(target, 'tree', 'a.txt'), 'utf8'), 'snapshot a\n');
    assert.equal(readFileSync(join(target, 'tree', 'b.txt'), 'utf8'), 'snapshot b\n');
    assert.equal(readlinkSync(join(target, 'tree', 'link')), 'a.txt');
    assert.deepEqual(readdirSync(join(target, 'tree')).sort(), ['a.txt', 'b.txt', 'link']);
  });

  it('the gap falls after the plan (a change made there is what the plan did not see)', async () => {
    let ran = false;
    const r = await withGap(() => { ran = true; });
    const target = join(dir, 'gap');
    await restore(r, 'latest', { path: tree, target });
    assert.equal(ran, true);
  });

  it('a file changed between the plan and its write (same size, time set back) is kept, and the restore fails with Conflict', async () => {
    const target = userCopies('changed');
    const a = join(target, 'tree', 'a.txt');
    const r = await withGap(() => {
      writeFileSync(a, 'USER A\n'); // same length
      utimesSync(a, 1_000_000, 1_000_000);
    });
    await assert.rejects(restore(r, 'latest', { path: tree, target, overwrite: true }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'Conflict');
      assert.match(e.message, /a\.txt was changed on disk/);
      return true;
    });
    assert.equal(readFileSync(a, 'utf8'), 'USER A\n');
    assert.deepEqual(readdirSync(join(target, 'tree')).sort(), ['a.txt', 'b.txt', 'link'], 'no temp file left');
  });

  it('a file that appeared after the plan is kept (Exists)', async () => {
    const target = userCopies('appeared');
    const b = join(target, 'tree', 'b.txt');
    rmSync(b);
    const r = await withGap(() => writeFileSync(b, 'new user b\n'));
    await assert.rejects(restore(r, 'latest', { path: tree, target, overwrite: true }), { code: 'Exists' });
    assert.equal(readFileSync(b, 'utf8'), 'new user b\n');
  });

  it('a link replaced between the plan and its write is kept', async () => {
    const target = userCopies('link');
    const link = join(target, 'tree', 'link');
    const r = await withGap(() => {
      rmSync(link);
      symlinkSync('elsewhere', link);
    });
    await assert.rejects(restore(r, 'latest', { path: tree, target, overwrite: true }), { code: 'Conflict' });
    assert.equal(readlinkSync(link), 'elsewhere');
  });

  it('a map of what the caller saw (when it asked the user): a file changed after the question is kept, an unchanged one replaced', async () => {
    const target = userCopies('asked');
    const a = join(target, 'tree', 'a.txt');
    const b = join(target, 'tree', 'b.txt');
    const link = join(target, 'tree', 'link');
    const seen = new Map<string, SeenTarget>([[a, await seenTarget(a)], [b, await seenTarget(b)], [link, await seenTarget(link)]]);
    // the user answered Replace only after another program had written a.txt
    writeFileSync(a, 'edited after the question\n');
    await assert.rejects(restore(repo, 'latest', { path: tree, target, overwrite: seen }), { code: 'Conflict' });
    assert.equal(readFileSync(a, 'utf8'), 'edited after the question\n');
    assert.equal(readFileSync(b, 'utf8'), 'snapshot b\n');
  });

  it('a map that does not list a target: that target must not exist', async () => {
    const target = userCopies('unlisted');
    const b = join(target, 'tree', 'b.txt');
    const seen = new Map<string, SeenTarget>([[join(target, 'tree', 'a.txt'), await seenTarget(join(target, 'tree', 'a.txt'))]]);
    await assert.rejects(restore(repo, 'latest', { path: tree, target, overwrite: seen }), { code: 'Exists' });
    assert.equal(readFileSync(b, 'utf8'), 'user b\n');
  });
});
