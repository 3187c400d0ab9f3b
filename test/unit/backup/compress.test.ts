import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { backup } from '../../../src/core/backup/backup';
import { forget } from '../../../src/core/backup/forget';
import { prune } from '../../../src/core/backup/prune';
import { initRepository } from '../../../src/core/backup/init';
import type { Backend } from '../../../src/core/backup/backend';
import { unzstd } from '../../../src/core/backup/encoding';
import { randomBytes } from 'node:crypto';
import { compressBlob, loadZstd, loadedZstd } from '../../../src/core/backup/zstdWrite';
import { PASSWORD, fixtureTree, passwordFile, restic, tempDir } from './helpers';
import { assertSameTree } from './compareTrees';
import { S3_SKIP, s3Repo } from './s3';

/** Blobs stored compressed (index entries with uncompressed_length) and their plain and stored sizes. */
async function compressed(repo: Repository): Promise<{ count: number; plain: number; stored: number }> {
  repo.resetIndex();
  const out = { count: 0, plain: 0, stored: 0 };
  for (const b of (await repo.loadIndex()).values()) {
    if (b.uncompressedLength === undefined) continue;
    out.count++;
    out.plain += b.uncompressedLength;
    out.stored += b.length;
  }
  return out;
}

/** Text and logs (compressible) beside the fixture's random files (not). */
function textFiles(tree: string): number {
  const lines: string[] = [];
  for (let i = 0; i < 120_000; i++) lines.push(`2026-12-01T20:${String(i % 60).padStart(2, '0')}:00Z INFO request ${(i * 7919) % 100_000} took ${(i * 31) % 900}ms`);
  const log = lines.join('\n');
  writeFileSync(join(tree, 'server.log'), log);
  writeFileSync(join(tree, 'notes.txt'), 'a small note that restic would store as it is\n'.repeat(200));
  return log.length;
}

describe('zstd on write: version 2 blobs compressed where it pays, read back by restic', () => {
  const dir = tempDir('zstd');
  const pw = passwordFile(dir);
  let tree = '';
  let logBytes = 0;
  before(() => {
    tree = fixtureTree(dir, 4 * 1024 * 1024);
    logBytes = textFiles(tree);
  });

  async function roundTrip(backend: Backend, url: string) {
    const repo = await initRepository(backend, PASSWORD);
    const r = await backup(repo, { paths: [tree] });
    const c = await compressed(repo);
    assert.ok(c.count > 0, 'some blobs are compressed');
    assert.ok(c.stored < c.plain / 3, `the log compresses: ${c.stored} of ${c.plain}`);
    assert.ok(r.bytesAdded < 4 * 1024 * 1024 + 4 * 1024 * 1024 + logBytes / 3, `added ${r.bytesAdded}`);
    await restic(pw, url, 'check', '--read-data');
    const target = join(dir, `restored-${Date.now()}`);
    await restic(pw, url, 'restore', 'latest', '--target', target);
    assertSameTree(tree, join(target, tree), { times: true });
    return repo;
  }

  it('in a folder: restic check --read-data passes and restic restore gives identical files', async () => {
    const p = join(dir, 'repo');
    const repo = await roundTrip(new LocalBackend(p), p);
    // a prune repacks compressed blobs as they are
    writeFileSync(join(tree, 'server.log'), 'replaced\n');
    await backup(repo, { paths: [tree] });
    await forget(repo, [(await repo.snapshots())[0]!.id]);
    const pr = await prune(repo);
    assert.ok(pr.packsDeleted + pr.packsRepacked > 0);
    await restic(pw, p, 'check', '--read-data');
  });

  it('on S3 (moto)', { skip: S3_SKIP }, async () => {
    const { backend, url } = await s3Repo('zstd');
    await roundTrip(backend, url);
  });

  it('version 1 and --compression off write no compressed blob', async () => {
    const p1 = join(dir, 'repo-v1');
    const v1 = await initRepository(new LocalBackend(p1), PASSWORD, { version: 1 });
    await backup(v1, { paths: [tree] });
    assert.equal((await compressed(v1)).count, 0);
    await restic(pw, p1, 'check', '--read-data');
    const p2 = join(dir, 'repo-off');
    const off = await initRepository(new LocalBackend(p2), PASSWORD);
    await backup(off, { paths: [tree], compression: 'off' });
    assert.equal((await compressed(off)).count, 0);
  });

  it('compresses by what a blob holds: random data is stored as it is, text is compressed, and only a blob of 1 MiB or more is judged by its first 64 KiB', async () => {
    const compress = await loadZstd();
    const text = (n: number) => Buffer.from('2026-12-01T20:00:00Z INFO request took 12ms\n'.repeat(Math.ceil(n / 44))).subarray(0, n);
    assert.equal(compressBlob(compress, randomBytes(300 * 1024)), undefined, 'random data');
    assert.equal(compressBlob(compress, randomBytes(2 << 20)), undefined, 'random data past the probe size');
    const small = text(300 * 1024);
    const packed = compressBlob(compress, small);
    assert.ok(packed && packed.length < small.length / 10, 'text compresses');
    assert.ok(Buffer.from(unzstd(packed, small.length, 'blob')).equals(small));
    // a random start below the probe size does not keep the text after it from being compressed
    const mixed = Buffer.concat([randomBytes(64 * 1024), text(448 * 1024)]);
    const m = compressBlob(compress, mixed);
    assert.ok(m && m.length < mixed.length / 2, `a 512 KiB blob with a random start: ${m?.length ?? 'stored as it is'}`);
    // from 1 MiB the probe decides: a random first 64 KiB means stored as it is
    assert.equal(compressBlob(compress, Buffer.concat([randomBytes(64 * 1024), text(1 << 20)])), undefined, 'judged by its probe');
  });

  it('the decoder in use (native or wasm), once loaded: round trips, and a damaged or oversized frame is Integrity or TooLarge', async () => {
    const compress = await loadZstd();
    assert.ok(loadedZstd());
    const plain = Buffer.from('restic blob '.repeat(10_000));
    const frame = compress(plain, 1);
    assert.ok(Buffer.from(unzstd(frame, plain.length, 'blob')).equals(plain));
    const damaged = Uint8Array.from(frame);
    for (let i = 12; i < damaged.length; i += 7) damaged[i]! ^= 0x5a;
    assert.throws(() => unzstd(damaged, plain.length, 'blob'), { code: 'Integrity' });
    assert.throws(() => unzstd(frame, plain.length - 1, 'blob'), { code: 'TooLarge' });
  });
});
