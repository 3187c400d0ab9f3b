import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicBatch } from '../../../src/core/local/atomicWrite';
import { isTempName } from '../../../src/core/local/tempNames';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { restore } from '../../../src/core/backup/restore';
import { findNode } from '../../../src/core/backup/listing';
import { PASSWORD, flipBlobByte, noise, passwordFile, restic, tempDir } from './helpers';
import { assertSameTree } from './compareTrees';

/** Every temp file left anywhere under `dir`. */
function temps(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (isTempName(e.name) || e.name.endsWith('.tmp')) out.push(join(e.parentPath, e.name));
  return out;
}

describe('AtomicBatch (the atomic write, many files at once)', () => {
  const dir = tempDir('batch');

  it('pieces written out of order land in place, with the mode and times given, and no temp remains', async () => {
    const b = new AtomicBatch({ exclusive: true });
    const path = join(dir, 'pieces.bin');
    const f = await b.begin(path);
    await f.write(Buffer.from('world'), 6);
    await f.write(Buffer.from('hello '), 0);
    await b.commit(f, { mode: 0o640, mtime: 1_000_000_000.5, atime: 999_999_999 });
    await b.finish();
    assert.equal(readFileSync(path, 'utf8'), 'hello world');
    const st = statSync(path);
    assert.equal(st.mode & 0o7777, 0o640);
    assert.equal(st.mtimeMs, 1_000_000_000_500);
    assert.deepEqual(temps(dir), []);
  });

  it('a file given up mid-way (a failed write) leaves the old file as it was, and no temp', async () => {
    const path = join(dir, 'keep.txt');
    writeFileSync(path, 'the old bytes\n');
    const b = new AtomicBatch();
    const f = await b.begin(path);
    await f.write(Buffer.from('half of the new'), 0);
    await b.discard(f);
    await b.finish();
    assert.equal(readFileSync(path, 'utf8'), 'the old bytes\n');
    assert.deepEqual(temps(dir), []);
    await assert.rejects(f.write(Buffer.from('late'), 0));
  });

  it('exclusive: a file that appears after begin is kept; the commit fails with Exists and leaves no temp', async () => {
    const path = join(dir, 'raced.txt');
    const b = new AtomicBatch({ exclusive: true });
    const f = await b.begin(path);
    await f.write(Buffer.from('ours'), 0);
    writeFileSync(path, 'theirs');
    await assert.rejects(b.commit(f, { mode: 0o644 }), { code: 'Exists' });
    assert.equal(readFileSync(path, 'utf8'), 'theirs');
    assert.deepEqual(temps(dir), []);
  });

  it('replaces a symlink at the target with the file, and leaves what the link pointed at alone', async () => {
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'not to be touched');
    const path = join(dir, 'was-a-link');
    symlinkSync(outside, path);
    const b = new AtomicBatch();
    const f = await b.begin(path);
    await f.write(Buffer.from('restored'), 0);
    await b.commit(f, { mode: 0o644 });
    await b.finish();
    assert.equal(lstatSync(path).isSymbolicLink(), false);
    assert.equal(readFileSync(path, 'utf8'), 'restored');
    assert.equal(readFileSync(outside, 'utf8'), 'not to be touched');
  });
});

describe('restoring in waves (one read per run of blobs in a pack)', () => {
  const dir = tempDir('waves');
  const pw = passwordFile(dir);
  const repoPath = join(dir, 'repo');
  const tree = join(dir, 'many');
  let repo: Repository;
  before(async () => {
    // more files than one wave holds, with copies (one blob, many files), empties, and a large file
    for (let i = 0; i < 700; i++) {
      const sub = join(tree, `d${i % 9}`);
      mkdirSync(sub, { recursive: true });
      const body = i % 50 === 7 ? Buffer.alloc(0) : i % 10 === 3 ? Buffer.from('the same bytes in many files\n') : noise(100 + ((i * 7919) % 30_000), i + 1);
      writeFileSync(join(sub, `f${i}`), body);
    }
    writeFileSync(join(tree, 'large.bin'), noise(9 * 1024 * 1024 + 5, 99));
    await restic(pw, repoPath, 'init', '--repository-version', '2');
    await restic(pw, repoPath, 'backup', tree);
    repo = await Repository.open(new LocalBackend(repoPath), PASSWORD);
  });

  it('restores every file byte for byte, with modes and times, and leaves no temp', async () => {
    const target = join(dir, 'out');
    const p = await restore(repo, 'latest', { target });
    assert.equal(p.files, 701);
    assert.equal(p.bytes, p.totalBytes);
    assertSameTree(tree, join(target, ...tree.split('/').filter(Boolean)), { times: true });
    assert.deepEqual(temps(target), []);
  });

  it('a damaged blob fails the restore with Integrity; with overwrite the damaged file keeps its old bytes, and no temp remains', async () => {
    const copy = join(dir, 'damaged-repo');
    cpSync(repoPath, copy, { recursive: true });
    const r = await Repository.open(new LocalBackend(copy), PASSWORD);
    const snap = await r.findSnapshot('latest');
    const at = await findNode(r, snap.tree, `${tree}/d5/f500`);
    const blob = (await r.loadIndex()).get(`data:${at!.node!.content![0]}`)!;
    flipBlobByte(copy, blob, 40);
    const target = join(dir, 'over');
    await restore(repo, 'latest', { target });
    const victim = join(target, ...tree.split('/').filter(Boolean), 'd5', 'f500');
    writeFileSync(victim, 'the old bytes\n');
    await assert.rejects(restore(r, 'latest', { target, overwrite: true }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'Integrity');
      assert.match(e.message, /MAC/);
      return true;
    });
    assert.equal(readFileSync(victim, 'utf8'), 'the old bytes\n');
    assert.deepEqual(temps(target), []);
  });

  it('never overwrites: one file already there stops the whole restore before anything is written', async () => {
    const target = join(dir, 'taken');
    const one = join(target, ...tree.split('/').filter(Boolean), 'd3', 'f300');
    mkdirSync(join(one, '..'), { recursive: true });
    writeFileSync(one, 'mine');
    await assert.rejects(restore(repo, 'latest', { target }), { code: 'Exists' });
    assert.deepEqual(readdirSync(join(one, '..')), ['f300']);
  });
});
