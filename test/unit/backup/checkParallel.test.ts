import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { check } from '../../../src/core/backup/check';
import { findNode } from '../../../src/core/backup/listing';
import { PASSWORD, noise, passwordFile, restic, tempDir } from './helpers';

describe('check --read-data with the blobs verified in worker threads', () => {
  const dir = tempDir('check-par');
  const pw = passwordFile(dir);
  const clean = join(dir, 'clean');
  const tree = join(dir, 'tree');
  before(async () => {
    // several packs (restic writes one per 4 MiB or so), so packs are read ahead and verified at once
    mkdirSync(tree, { recursive: true });
    for (let i = 0; i < 60; i++) writeFileSync(join(tree, `f${i}`), noise(300_000 + i * 1000, i + 1));
    await restic(pw, clean, 'init', '--repository-version', '2');
    await restic(pw, clean, 'backup', tree);
  });

  it('finds one flipped byte in a middle pack, names its blob and file, and reports as the single-thread check does', async () => {
    const copy = join(dir, 'flipped');
    cpSync(clean, copy, { recursive: true });
    const repo = await Repository.open(new LocalBackend(copy), PASSWORD);
    const snap = await repo.findSnapshot('latest');
    const at = await findNode(repo, snap.tree, `${tree}/f31`);
    const blob = (await repo.loadIndex()).get(`data:${at!.node!.content![0]}`)!;
    const packs = new Set([...(await repo.loadIndex()).values()].map((b) => b.pack));
    assert.ok(packs.size >= 3, `expected several packs, got ${packs.size}`);
    const p = join(copy, 'data', blob.pack.slice(0, 2), blob.pack);
    chmodSync(p, 0o600);
    const bytes = readFileSync(p);
    bytes[blob.offset + 100]! ^= 0x10;
    writeFileSync(p, bytes);

    const parallel = await check(repo, { readData: true, threads: 2 });
    assert.equal(parallel.ok, false);
    const damaged = parallel.problems.filter((x) => x.kind === 'blob-damaged');
    assert.deepEqual(damaged.map((x) => x.blob), [blob.id]);
    assert.match(damaged[0]!.message, /MAC/);
    assert.ok(parallel.problems.some((x) => x.kind === 'pack-damaged' && x.file === `data/${blob.pack}`));
    assert.deepEqual(parallel.affected.map((a) => a.paths), [[`${tree}/f31`]]);
    assert.equal(parallel.packsRead, packs.size);

    const single = await check(repo, { readData: true, threads: 0 });
    assert.deepEqual(parallel.problems, single.problems);
    assert.equal(parallel.blobsChecked, single.blobsChecked);
  });

  it('passes a clean repository, every blob checked', async () => {
    const repo = await Repository.open(new LocalBackend(clean), PASSWORD);
    const r = await check(repo, { readData: true, threads: 2 });
    assert.deepEqual(r.problems, []);
    assert.equal(r.blobsChecked, (await repo.loadIndex()).size);
  });
});
