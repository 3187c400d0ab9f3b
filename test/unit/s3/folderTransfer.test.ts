import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { downloadPrefix, uploadFolder } from '../../../src/core/s3';
import { SKIP, aws, client, newBucket, run, tempDir } from './helpers';

describe('folder upload and download', { skip: SKIP }, () => {
  const c = client({ requestTimeoutMs: 30_000 });
  let bucket = '';
  const src = tempDir('folderup');
  const big = randomBytes(6 * 1024 * 1024 + 5);
  before(async () => {
    bucket = await newBucket(c, 'folder', false);
    mkdirSync(path.join(src, 'a', 'b'), { recursive: true });
    writeFileSync(path.join(src, 'top.txt'), 'top');
    writeFileSync(path.join(src, 'a', 'one.txt'), 'one');
    writeFileSync(path.join(src, 'a', 'b', 'two.json'), '{"two":2}');
    writeFileSync(path.join(src, 'a', 'empty'), '');
    writeFileSync(path.join(src, 'a', 'b', 'big.bin'), big);
    symlinkSync('/etc/hostname', path.join(src, 'a', 'link'));
  });

  it('uploads a folder to a prefix keeping relative paths (the aws CLI lists and reads them), links skipped', async () => {
    let bytes = 0;
    const r = await uploadFolder(c, { folder: src, bucket, prefix: 'up', onBytes: (n) => (bytes = n) });
    assert.deepEqual(r.failed, []);
    assert.deepEqual(r.done.sort(), ['a/b/big.bin', 'a/b/two.json', 'a/empty', 'a/one.txt', 'top.txt']);
    assert.deepEqual(r.skipped, ['a/link (a symbolic link; not followed)']);
    assert.equal(bytes, big.length + 3 + 3 + 9);
    const listed = (JSON.parse(await aws('s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'up/')) as { Contents: { Key: string; Size: number }[] }).Contents;
    assert.deepEqual(listed.map((o) => `${o.Key}:${o.Size}`).sort(), ['up/a/b/big.bin:6291461', 'up/a/b/two.json:9', 'up/a/empty:0', 'up/a/one.txt:3', 'up/top.txt:3']);
    const back = tempDir('folderback');
    await aws('s3', 'cp', '--recursive', `s3://${bucket}/up/`, back);
    assert.ok(readFileSync(path.join(back, 'a', 'b', 'big.bin')).equals(big));
  });

  it('downloads a prefix to a folder; diff -r against the source finds no difference but the link', async () => {
    const out = tempDir('folderdown');
    const r = await downloadPrefix(c, { bucket, prefix: 'up/', folder: out });
    assert.deepEqual(r.failed, []);
    assert.equal(r.done.length, 5);
    const diff = await run('/usr/bin/diff', ['-r', '--no-dereference', src, out]).then(() => '', (e: { stdout: string }) => e.stdout);
    assert.equal(diff.trim(), `Only in ${path.join(src, 'a')}: link`);
    const again = await downloadPrefix(c, { bucket, prefix: 'up', folder: out });
    assert.equal(again.done.length, 0);
    assert.deepEqual(new Set(again.failed.map((f) => f.code)), new Set(['Exists']), 'existing files are never replaced unasked');
  });
});
