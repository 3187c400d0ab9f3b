import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { check } from '../../../src/core/backup/check';
import { findNode } from '../../../src/core/backup/listing';
import { PASSWORD, fixtureTree, flipBlobByte, passwordFile, restic, run, RESTIC, tempDir } from './helpers';
import { repoState } from './repoState';

function packPath(repo: string, id: string): string {
  return join(repo, 'data', id.slice(0, 2), id);
}

/** Whether restic itself accepts the repository (the oracle for each fault). */
async function resticCheckPasses(pw: string, repo: string, ...args: string[]): Promise<boolean> {
  try {
    await restic(pw, repo, 'check', ...args);
    return true;
  } catch {
    return false;
  }
}

describe('check: structure and --read-data, damage reported as files and snapshots', () => {
  const dir = tempDir('check');
  const pw = passwordFile(dir);
  const clean = join(dir, 'clean');
  let tree = '';
  let n = 0;
  /** A fresh copy of the clean repository, writable so a test can damage it. */
  const copy = () => {
    const p = join(dir, `copy-${n++}`);
    cpSync(clean, p, { recursive: true });
    return p;
  };
  /** The pack and blob that hold `file`'s first chunk. */
  const where = async (repoPath: string, file: string) => {
    const repo = await Repository.open(new LocalBackend(repoPath), PASSWORD);
    const snap = await repo.findSnapshot('latest');
    const at = await findNode(repo, snap.tree, `${tree}/${file}`);
    const blob = (await repo.lookup('data', at!.node!.content![0]!))!;
    return { snap, blob };
  };

  before(async () => {
    tree = fixtureTree(dir, 2 * 1024 * 1024);
    await restic(pw, clean, 'init', '--repository-version', '2');
    await restic(pw, clean, 'backup', tree);
    writeFileSync(join(tree, 'later.txt'), 'second snapshot only\n');
    await restic(pw, clean, 'backup', tree);
  });

  it('a clean repository restic wrote passes, structure and --read-data', async () => {
    const repo = await Repository.open(new LocalBackend(clean), PASSWORD);
    const r = await check(repo, { readData: true });
    assert.deepEqual(r.problems, []);
    assert.equal(r.ok, true);
    assert.ok(r.packsRead > 0 && r.blobsChecked > 5);
  });

  it('a flipped byte in a pack: read-data names the blob, the pack, the file and both snapshots; nothing written', async () => {
    const p = copy();
    const { blob } = await where(p, 'small.txt');
    flipBlobByte(p, blob, 17);
    assert.equal(await resticCheckPasses(pw, p, '--read-data'), false, 'restic agrees it is damaged');
    const before = repoState(p);
    const repo = await Repository.open(new LocalBackend(p), PASSWORD);
    const structural = await check(repo);
    assert.equal(structural.ok, true, 'structure alone cannot see a flipped byte inside a blob');
    const r = await check(repo, { readData: true });
    assert.equal(r.ok, false);
    const damaged = r.problems.filter((x) => x.kind === 'blob-damaged');
    assert.equal(damaged.length, 1);
    assert.equal(damaged[0]!.blob, blob.id);
    assert.equal(damaged[0]!.file, `data/${blob.pack}`);
    assert.equal(r.affected.length, 2);
    for (const a of r.affected) assert.deepEqual(a.paths, [`${tree}/small.txt`]);
    assert.deepEqual(repoState(p), before);
  });

  it('a flipped byte in a tree blob: the structure check alone names the tree and its folder in both snapshots', async () => {
    const p = copy();
    const repo0 = await Repository.open(new LocalBackend(p), PASSWORD);
    const snap = await repo0.findSnapshot('latest');
    const folder = `${tree}/deep/a/b`;
    const at = await findNode(repo0, snap.tree, folder);
    const blob = (await repo0.lookup('tree', at!.node!.subtree!))!;
    flipBlobByte(p, blob, blob.length - 3, 0x40);
    assert.equal(await resticCheckPasses(pw, p), false, 'restic agrees');
    const repo = await Repository.open(new LocalBackend(p), PASSWORD);
    const r = await check(repo);
    assert.equal(r.ok, false);
    const damaged = r.problems.filter((x) => x.kind === 'tree-damaged');
    assert.deepEqual(damaged.map((x) => x.blob), [blob.id], 'reported once, though both snapshots hold it');
    assert.equal(r.affected.length, 2);
    for (const a of r.affected) assert.deepEqual(a.paths, [folder]);
  });

  it('a truncated index: the index file is named, and the files whose blobs it listed', async () => {
    const p = copy();
    const indexes = readdirSync(join(p, 'index'));
    const target = indexes[0]!;
    chmodSync(join(p, 'index', target), 0o600);
    truncateSync(join(p, 'index', target), 40);
    assert.equal(await resticCheckPasses(pw, p), false, 'restic agrees');
    const before = repoState(p);
    const repo = await Repository.open(new LocalBackend(p), PASSWORD);
    const r = await check(repo);
    assert.equal(r.ok, false);
    const idx = r.problems.filter((x) => x.kind === 'index');
    assert.equal(idx.length, 1);
    assert.equal(idx[0]!.file, `index/${target}`);
    assert.ok(r.problems.some((x) => x.kind === 'blob-unindexed'));
    assert.ok(r.affected.length >= 1 && r.affected.every((a) => a.paths.length > 0));
    assert.deepEqual(repoState(p), before);
  });

  it('a missing pack: named, with the files it held in every snapshot', async () => {
    const p = copy();
    const { blob } = await where(p, 'three-chunks.bin');
    rmSync(packPath(p, blob.pack));
    assert.equal(await resticCheckPasses(pw, p), false, 'restic agrees');
    const before = repoState(p);
    const repo = await Repository.open(new LocalBackend(p), PASSWORD);
    const r = await check(repo);
    const missing = r.problems.filter((x) => x.kind === 'pack-missing');
    assert.deepEqual(missing.map((x) => x.file), [`data/${blob.pack}`]);
    assert.equal(r.affected.length, 2);
    for (const a of r.affected) assert.ok(a.paths.includes(`${tree}/three-chunks.bin`), a.paths.join(','));
    assert.deepEqual(repoState(p), before);
  });

  it('a truncated pack is found by the structure check alone (its size), with the files it held', async () => {
    const p = copy();
    const { blob } = await where(p, 'three-chunks.bin');
    chmodSync(packPath(p, blob.pack), 0o600);
    truncateSync(packPath(p, blob.pack), blob.offset + 10);
    assert.equal(await resticCheckPasses(pw, p), false, 'restic agrees');
    const repo = await Repository.open(new LocalBackend(p), PASSWORD);
    const r = await check(repo);
    const damaged = r.problems.filter((x) => x.kind === 'pack-damaged');
    assert.deepEqual(damaged.map((x) => x.file), [`data/${blob.pack}`]);
    assert.match(damaged[0]!.message, /truncated/);
    for (const a of r.affected) assert.ok(a.paths.includes(`${tree}/three-chunks.bin`));
  });

  it('a wrong password: WrongKey before anything is read or written', async () => {
    const p = copy();
    const before = repoState(p);
    await assert.rejects(Repository.open(new LocalBackend(p), 'wrong password'), { code: 'WrongKey' });
    assert.deepEqual(repoState(p), before);
    const { stderr } = await run(RESTIC, ['-r', p, '--no-cache', 'check'], { env: { ...process.env, RESTIC_PASSWORD: 'wrong password' } }).catch((e: { stderr: string }) => e);
    assert.match(stderr, /wrong password|no key found/i, 'restic refuses it too');
  });

  it('--read-data subset n/t reads only that share of packs', async () => {
    const repo = await Repository.open(new LocalBackend(clean), PASSWORD);
    const all = await check(repo, { readData: true });
    let sum = 0;
    for (let i = 1; i <= 3; i++) sum += (await check(repo, { readData: true, subset: { n: i, of: 3 } })).packsRead;
    assert.equal(sum, all.packsRead);
  });
});
