import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { commonFolder, copyKeys, deleteKeys, downloadKeys, downloadObject, existingTargets, reportText } from '../../../src/core/s3';
import { SKIP, aws, client, countRequests, newBucket, putMany, tempDir } from './helpers';

const cliKeys = async (bucket: string): Promise<string[]> =>
  ((JSON.parse((await aws('s3api', 'list-objects-v2', '--bucket', bucket)) || '{}') as { Contents?: { Key: string }[] }).Contents ?? []).map((o) => o.Key).sort();

describe('bulk helpers', () => {
  it('the common folder of the selected keys', () => {
    assert.equal(commonFolder(['a/b/c.txt', 'a/b/d/e.txt']), 'a/b/');
    assert.equal(commonFolder(['a/b/c.txt', 'a/x.txt']), 'a/');
    assert.equal(commonFolder(['a/b.txt', 'c.txt']), '');
    assert.equal(commonFolder(['ab/x', 'ac/y']), '');
  });
});

describe('bulk operations on selected objects', { skip: SKIP }, () => {
  const c = client({ requestTimeoutMs: 30_000 });
  let bucket = '';
  let versioned = '';
  before(async () => {
    bucket = await newBucket(c, 'bulk', false);
    versioned = await newBucket(c, 'bulkv', true);
    await putMany(c, bucket, ['a/1.txt', 'a/2.txt', 'a/sub/3.txt', 'b/4.txt', 'keep.txt']);
    await putMany(c, versioned, ['x/1', 'x/2']);
  });

  it('deletes the selection in one DeleteObjects request; the aws CLI sees only the rest', async () => {
    const counts = countRequests(c);
    const r = await deleteKeys(c, { bucket, keys: ['b/4.txt', 'a/2.txt'] });
    assert.deepEqual(r.failed, []);
    assert.deepEqual(r.done.sort(), ['a/2.txt', 'b/4.txt']);
    assert.equal(counts.get('DeleteObjectsCommand'), 1);
    assert.deepEqual(await cliKeys(bucket), ['a/1.txt', 'a/sub/3.txt', 'keep.txt']);
  });

  it('in a versioned bucket a bulk delete adds delete markers and keeps every version', async () => {
    const r = await deleteKeys(c, { bucket: versioned, keys: ['x/1', 'x/2'] });
    assert.equal(r.done.length, 2);
    const v = JSON.parse(await aws('s3api', 'list-object-versions', '--bucket', versioned)) as { Versions?: unknown[]; DeleteMarkers?: unknown[] };
    assert.equal(v.Versions?.length, 2);
    assert.equal(v.DeleteMarkers?.length, 2);
  });

  it('downloads keeping paths below the common folder, never replaces a local file it was not told to, and reports it', async () => {
    const folder = tempDir('bulkdl');
    mkdirSync(path.join(folder, 'sub'));
    writeFileSync(path.join(folder, 'sub', '3.txt'), 'mine');
    const keys = ['a/1.txt', 'a/sub/3.txt', 'a/missing.txt'];
    assert.deepEqual([...(await existingTargets(folder, keys, 'a/')).keys()], ['a/sub/3.txt']);
    const r = await downloadKeys(c, { bucket, keys, base: 'a/', folder });
    assert.deepEqual(r.done, ['a/1.txt']);
    assert.deepEqual(r.failed.map((f) => [f.item, f.code]).sort(), [['a/missing.txt', 'NotFound'], ['a/sub/3.txt', 'Exists']]);
    assert.equal(readFileSync(path.join(folder, 'sub', '3.txt'), 'utf8'), 'mine', 'the local file is untouched');
    assert.equal(readFileSync(path.join(folder, '1.txt'), 'utf8'), 'a/1.txt');
    const text = reportText(r);
    assert.match(text, /1 of 3 done, 2 failed/);
    assert.match(text, /a\/missing\.txt.*NotFound.*no such object/);

    const again = await downloadKeys(c, { bucket, keys: ['a/sub/3.txt'], base: 'a/', folder, overwrite: await existingTargets(folder, ['a/sub/3.txt'], 'a/') });
    assert.deepEqual(again.done, ['a/sub/3.txt']);
    assert.equal(readFileSync(path.join(folder, 'sub', '3.txt'), 'utf8'), 'a/sub/3.txt', 'replaced when asked');
    const skip = await downloadKeys(c, { bucket, keys: ['a/1.txt'], base: 'a/', folder, skipExisting: true });
    assert.deepEqual(skip.skipped, ['a/1.txt']);
    assert.deepEqual(readdirSync(folder).sort(), ['1.txt', 'sub'], 'no temp files left');
  });

  it('Replace writes over a local file only while it is the file that was checked: one changed since is kept and reported as a conflict', async () => {
    const folder = tempDir('bulkrace');
    mkdirSync(path.join(folder, 'sub'));
    writeFileSync(path.join(folder, '1.txt'), 'old 1');
    writeFileSync(path.join(folder, 'sub', '3.txt'), 'old 3');
    const keys = ['a/1.txt', 'a/sub/3.txt'];
    const seen = await existingTargets(folder, keys, 'a/');
    assert.deepEqual([...seen.keys()], keys);
    // Another program writes 3.txt after the check (the user chose Replace), as its download starts.
    const theirs = () => writeFileSync(path.join(folder, 'sub', '3.txt'), 'their new text');
    const r = await downloadKeys(c, { bucket, keys, base: 'a/', folder, overwrite: seen, concurrency: 1, onProgress: (_n, _t, current) => current === 'a/sub/3.txt' && theirs() });
    assert.deepEqual(r.done, ['a/1.txt']);
    assert.deepEqual(r.failed.map((f) => [f.item, f.code]), [['a/sub/3.txt', 'Conflict']]);
    assert.equal(readFileSync(path.join(folder, 'sub', '3.txt'), 'utf8'), 'their new text', 'their file is kept');
    assert.equal(readFileSync(path.join(folder, '1.txt'), 'utf8'), 'a/1.txt', 'the unchanged one is replaced');
    assert.match(reportText(r), /## Conflicts \(1\)[^]*a\/sub\/3\.txt.*changed.*kept/);
    assert.deepEqual(readdirSync(path.join(folder, 'sub')), ['3.txt'], 'no temp file left');
  });

  it('a local file changed while the object streams in is kept: the check just before the rename refuses the replace', async () => {
    const folder = tempDir('dlrace');
    const file = path.join(folder, 'keep.txt');
    writeFileSync(file, 'mine');
    const seen = (await existingTargets(folder, ['keep.txt'], ''));
    let wrote = false;
    const during = () => {
      if (!wrote) writeFileSync(file, 'theirs, written during the download');
      wrote = true;
    };
    await assert.rejects(
      downloadObject(c, { bucket, key: 'a/1.txt', folder, fileName: 'keep.txt', overwrite: true, expect: seen.get('keep.txt')!, onProgress: during }),
      (e: { code?: string; message: string }) => e.code === 'Conflict' && /keep\.txt was changed/.test(e.message),
    );
    assert.ok(wrote, 'the other write happened during the transfer');
    assert.equal(readFileSync(file, 'utf8'), 'theirs, written during the download');
    assert.deepEqual(readdirSync(folder), ['keep.txt'], 'no temp file left');
  });

  it('copies to another bucket and prefix with the relative paths; a missing key fails alone', async () => {
    const to = await newBucket(c, 'bulkto', false);
    const r = await copyKeys(c, { bucket, keys: ['a/1.txt', 'a/sub/3.txt', 'a/gone.txt'], base: 'a/', toBucket: to, toPrefix: 'copied/' });
    assert.deepEqual(r.done.sort(), ['a/1.txt', 'a/sub/3.txt']);
    assert.deepEqual(r.failed.map((f) => f.item), ['a/gone.txt']);
    assert.deepEqual(await cliKeys(to), ['copied/1.txt', 'copied/sub/3.txt']);
  });

  it('a copy onto a key that exists at the destination keeps that object and reports it skipped', async () => {
    const to = await newBucket(c, 'bulkcopykeep');
    await aws('s3api', 'put-object', '--bucket', to, '--key', 'copied/1.txt', '--body', '/etc/hostname');
    const before = await aws('s3api', 'head-object', '--bucket', to, '--key', 'copied/1.txt');
    const r = await copyKeys(c, { bucket, keys: ['a/1.txt', 'a/sub/3.txt'], base: 'a/', toBucket: to, toPrefix: 'copied/' });
    assert.deepEqual(r.skipped, ['a/1.txt']);
    assert.deepEqual(r.done, ['a/sub/3.txt']);
    assert.equal(JSON.parse(await aws('s3api', 'head-object', '--bucket', to, '--key', 'copied/1.txt')).ETag, JSON.parse(before).ETag, 'their object is untouched');
  });

  it('a cancel stops starting new items and the report says how many were not started', async () => {
    const ac = new AbortController();
    const folder = tempDir('bulkcancel');
    const r = await downloadKeys(c, { bucket, keys: ['a/1.txt', 'a/sub/3.txt', 'keep.txt'], base: '', folder, concurrency: 1, signal: ac.signal, onProgress: (n) => n === 1 && ac.abort() });
    assert.equal(r.cancelled, true);
    assert.equal(r.done.length, 1);
    assert.match(reportText(r), /2 not started \(cancelled\)/);
  });
});
