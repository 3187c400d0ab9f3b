import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hashFile } from '../../../src/core/checksum/hashFile';
import { verifyManifest, writeManifest } from '../../../src/core/checksum/manifest';
import { hashFilesInWorkers } from '../../../src/core/checksum/workerPool';
import { isStorageError } from '../../../src/core/errors';

const SHA256SUM = '/usr/bin/sha256sum';
const B3SUM = '/usr/bin/b3sum';
// Names that need the escaping rule, plus spaces, a leading dash, unicode and a nested folder.
const NAMES = ['plain.txt', 'with space.txt', 'back\\slash', 'new\nline', 'car\rriage', '-dash', 'ünï €.json', 'sub/deep/x.bin'];

let dir: string;
function fill(): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'sub', 'deep'), { recursive: true });
  NAMES.forEach((n, i) => writeFileSync(join(dir, n), `content ${i}\n`.repeat(i * 300 + 1)));
}
const check = (tool: string, manifest: string) => spawnSync(tool, ['-c', '--quiet', manifest], { cwd: dir, encoding: 'utf8' });

describe('manifests interoperate with sha256sum and b3sum', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'si-manifest-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('hashFile equals sha256sum and b3sum on every file', async () => {
    fill();
    for (const n of NAMES) {
      const p = join(dir, n);
      assert.equal(await hashFile(p, 'sha256'), execFileSync(SHA256SUM, ['--', p], { encoding: 'utf8' }).replace(/^\\/, '').slice(0, 64), n);
      assert.equal(await hashFile(p, 'blake3'), execFileSync(B3SUM, ['--', p], { encoding: 'utf8' }).replace(/^\\/, '').slice(0, 64), n);
    }
  });

  it('our SHA256SUMS passes `sha256sum -c`, and our B3SUMS passes `b3sum -c`', async () => {
    fill();
    const progress: number[] = [];
    const sha = await writeManifest(dir, 'sha256', { onProgress: (p) => progress.push(p.files) });
    assert.equal(sha.entries.length, NAMES.length);
    assert.equal(progress.at(-1), NAMES.length);
    const r = check(SHA256SUM, 'SHA256SUMS');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    await writeManifest(dir, 'blake3');
    const b = check(B3SUM, 'B3SUMS');
    assert.equal(b.status, 0, b.stdout + b.stderr);
  });

  it('sha256sum -c fails on our manifest after a change (the check can fail)', async () => {
    fill();
    await writeManifest(dir, 'sha256');
    writeFileSync(join(dir, 'back\\slash'), 'changed');
    assert.notEqual(check(SHA256SUM, 'SHA256SUMS').status, 0);
  });

  it("verifies the tools' own manifests, escaped names included", async () => {
    fill();
    // Relative names, sorted, as a user would make them with find | xargs.
    const list = execFileSync('find', ['.', '-type', 'f', '-print0'], { cwd: dir }).toString().split('\0').filter(Boolean).map((s) => s.slice(2)).sort();
    writeFileSync(join(dir, 'SHA256SUMS'), execFileSync(SHA256SUM, ['--', ...list], { cwd: dir }));
    writeFileSync(join(dir, 'B3SUMS'), execFileSync(B3SUM, ['--', ...list.filter((n) => !n.includes('\r'))], { cwd: dir }));
    const sha = await verifyManifest(join(dir, 'SHA256SUMS'), 'sha256');
    assert.deepEqual(sha.map((r) => r.status).sort(), NAMES.map(() => 'ok'));
    const b3 = await verifyManifest(join(dir, 'B3SUMS'), 'blake3');
    assert.deepEqual(b3.filter((r) => r.status === 'ok').length, NAMES.length - 1);
    assert.deepEqual(b3.filter((r) => r.status === 'new').map((r) => r.name), ['car\rriage']);
  });

  it('reports exactly one changed, one missing and one new, and sha256sum -c agrees', async () => {
    fill();
    await writeManifest(dir, 'sha256');
    writeFileSync(join(dir, 'new\nline'), 'altered');
    unlinkSync(join(dir, 'sub/deep/x.bin'));
    writeFileSync(join(dir, 'added.txt'), 'new file');
    const results = await verifyManifest(join(dir, 'SHA256SUMS'), 'sha256');
    const notOk = results.filter((r) => r.status !== 'ok').map((r) => `${r.status}:${r.name}`).sort();
    assert.deepEqual(notOk, ['changed:new\nline', 'missing:sub/deep/x.bin', 'new:added.txt']);
    const r = check(SHA256SUM, 'SHA256SUMS');
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /new\\nline: FAILED/);
    assert.match(r.stdout + r.stderr, /sub\/deep\/x\.bin: FAILED open or read/);
    assert.doesNotMatch(r.stdout, /added\.txt/);
  });

  it('a symlink loop neither hangs the walk nor enters the manifest', async () => {
    fill();
    symlinkSync('loop', join(dir, 'loop'));
    symlinkSync('..', join(dir, 'sub', 'up'));
    const { entries } = await writeManifest(dir, 'sha256');
    assert.deepEqual(entries.map((e) => e.name).sort(), [...NAMES].sort());
  });

  it('many files go through the worker threads and still pass sha256sum -c; sha1 and md5 too', async () => {
    fill();
    for (let i = 0; i < 60; i++) writeFileSync(join(dir, 'sub', `w${i}.dat`), Buffer.alloc(i * 3001, i));
    const { entries } = await writeManifest(dir, 'sha256');
    assert.equal(entries.length, NAMES.length + 60);
    const r = check(SHA256SUM, 'SHA256SUMS');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const paths = entries.map((e) => join(dir, e.name));
    for (const alg of ['sha1', 'md5'] as const) {
      const fromWorkers = await hashFilesInWorkers(paths, alg);
      const inline = await Promise.all(paths.map((p) => hashFile(p, alg)));
      assert.deepEqual(fromWorkers, inline, alg);
    }
  });

  it('a file that vanishes before a worker reads it is NotFound naming the file', async () => {
    await assert.rejects(hashFilesInWorkers([join(dir, 'plain.txt'), join(dir, 'nope.bin')], 'sha256'), (e) => isStorageError(e) && e.code === 'NotFound' && /nope\.bin/.test(e.message));
  });

  it('cancel stops with Cancelled and leaves no manifest', async () => {
    fill();
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(writeManifest(dir, 'sha256', { signal: ac.signal }), (e) => isStorageError(e) && e.code === 'Cancelled');
    assert.equal(spawnSync('test', ['-e', join(dir, 'SHA256SUMS')]).status, 1);
  });
});
