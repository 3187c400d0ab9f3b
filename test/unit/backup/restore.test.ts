import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { restore } from '../../../src/core/backup/restore';
import { findNode } from '../../../src/core/backup/listing';
import { PASSWORD, fixtureTree, flipBlobByte, passwordFile, restic, tempDir } from './helpers';
import { assertSameTree } from './compareTrees';

describe('restoring what restic backed up', () => {
  const dir = tempDir('restore');
  const pw = passwordFile(dir);
  const repoPath = join(dir, 'repo');
  let tree = '';
  let repo: Repository;
  before(async () => {
    tree = fixtureTree(dir);
    await restic(pw, repoPath, 'init', '--repository-version', '2');
    await restic(pw, repoPath, 'backup', tree);
    repo = await Repository.open(new LocalBackend(repoPath), PASSWORD);
  });

  it('a whole snapshot: byte-identical, modes and mtimes kept, symlinks as links', async () => {
    const target = join(dir, 'whole');
    const p = await restore(repo, 'latest', { target });
    const restored = join(target, ...tree.split('/').filter(Boolean));
    const n = assertSameTree(tree, restored, { times: true });
    assert.ok(n > 20);
    assert.equal(p.files, p.totalFiles);
    assert.equal(p.bytes, p.totalBytes);
  });

  it('one file and one folder, to a chosen folder', async () => {
    const target = join(dir, 'one');
    await restore(repo, 'latest', { path: `${tree}/odd names/"quotes" and \\backslash`, target });
    assert.equal(readFileSync(join(target, '"quotes" and \\backslash'), 'utf8'), 'odd\n');
    await restore(repo, 'latest', { path: `${tree}/deep`, target });
    assertSameTree(join(tree, 'deep'), join(target, 'deep'), { times: true });
  });

  it('never overwrites without being told to; with overwrite it replaces, atomically', async () => {
    const target = join(dir, 'again');
    await restore(repo, 'latest', { path: `${tree}/small.txt`, target });
    writeFileSync(join(target, 'small.txt'), 'changed by the user\n');
    await assert.rejects(restore(repo, 'latest', { path: `${tree}/small.txt`, target }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'Exists');
      assert.match(e.message, /Nothing was written/);
      return true;
    });
    assert.equal(readFileSync(join(target, 'small.txt'), 'utf8'), 'changed by the user\n');
    await restore(repo, 'latest', { path: `${tree}/small.txt`, target, overwrite: true });
    assert.equal(readFileSync(join(target, 'small.txt'), 'utf8'), 'hello restic\n');
    assert.deepEqual(readdirSync(target), ['small.txt'], 'no temp files left behind');
  });

  it('a damaged blob fails the restore of its file with Integrity and leaves no file', async () => {
    const copy = join(dir, 'damaged-repo');
    cpSync(repoPath, copy, { recursive: true });
    const r = await Repository.open(new LocalBackend(copy), PASSWORD);
    const snap = await r.findSnapshot('latest');
    const index = await r.loadIndex();
    // the one data blob of small.txt
    const at = await findNode(r, snap.tree, `${tree}/small.txt`);
    const blob = index.get(`data:${at!.node!.content![0]}`)!;
    flipBlobByte(copy, blob, 20, 0xff);
    const target = join(dir, 'from-damaged');
    await assert.rejects(restore(r, 'latest', { path: `${tree}/small.txt`, target }), { code: 'Integrity' });
    assert.equal(existsSync(join(target, 'small.txt')), false);
    assert.deepEqual(readdirSync(target), []);
  });

  it('a damaged tree deep in the snapshot fails the whole restore with Integrity, naming that tree, before any file or folder is made', async () => {
    const copy = join(dir, 'damaged-tree-repo');
    cpSync(repoPath, copy, { recursive: true });
    const r = await Repository.open(new LocalBackend(copy), PASSWORD);
    const snap = await r.findSnapshot('latest');
    const index = await r.loadIndex();
    const at = await findNode(r, snap.tree, `${tree}/deep/a/b/c`);
    const blob = index.get(`tree:${at!.node!.subtree}`)!;
    flipBlobByte(copy, blob, 20, 0xff);
    const target = join(dir, 'from-damaged-tree');
    const fresh = await Repository.open(new LocalBackend(copy), PASSWORD);
    await assert.rejects(restore(fresh, 'latest', { target }), (e: Error & { code?: string }) => e.code === 'Integrity' && e.message.includes(at!.node!.subtree!.slice(0, 8)));
    assert.equal(existsSync(target), false, 'the plan failed before the target was made');
  });
});
