import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { createGunzip, gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { downloadObject, getObjectBytes, headObject, presignGet, uploadObject, MIN_PART_SIZE } from '../../../src/core/s3';
import { SKIP, aws, client, newBucket, tempDir } from './helpers';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('transfers', { skip: SKIP }, () => {
  const c = client();
  const dir = tempDir('transfer');
  let bucket = '';
  before(async () => {
    bucket = await newBucket(c, 'transfer', false);
  });

  it('uploads a file above the threshold as multipart, and the aws CLI reads it back intact', async () => {
    const data = randomBytes(MIN_PART_SIZE + 123_456);
    const file = path.join(dir, 'big.bin');
    await writeFile(file, data);
    let last = 0;
    await uploadObject(c, { bucket, key: 'big.bin', body: file, partSize: MIN_PART_SIZE, onProgress: (n) => (last = n) });
    assert.equal(last, data.length);
    const head = await headObject(c, { bucket, key: 'big.bin' });
    assert.match(head.etag ?? '', /-2"$/, 'a two-part upload has a multipart ETag');
    assert.ok(head.checksums.SHA256, 'the parts were sent with a SHA-256 the server keeps');
    await aws('s3', 'cp', `s3://${bucket}/big.bin`, path.join(dir, 'back.bin'));
    assert.equal(sha(await readFile(path.join(dir, 'back.bin'))), sha(data));
  });

  it('a cancelled multipart upload aborts on the server and leaves no object', async () => {
    const ac = new AbortController();
    async function* slow() {
      for (let i = 0; i < 10; i++) {
        yield randomBytes(MIN_PART_SIZE);
        if (i === 1) ac.abort();
      }
    }
    await assert.rejects(uploadObject(c, { bucket, key: 'cancelled.bin', body: slow(), partSize: MIN_PART_SIZE, queueSize: 1, signal: ac.signal }), { code: 'Cancelled' });
    // Give the abort request a moment to land.
    await new Promise((r) => setTimeout(r, 300));
    const mpu = await c.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    assert.equal(mpu.Uploads?.length ?? 0, 0);
    await assert.rejects(headObject(c, { bucket, key: 'cancelled.bin' }), { code: 'NotFound' });
  });

  it('downloads streaming, optionally through a transform (here gunzip), with no temp file left', async () => {
    const text = 'hello '.repeat(10000);
    await uploadObject(c, { bucket, key: 'd/t.txt.gz', body: gzipSync(text) });
    assert.ok((await headObject(c, { bucket, key: 'd/t.txt.gz' })).checksums.SHA256, 'a single-part upload sends its SHA-256 too');
    const out = await downloadObject(c, {
      bucket,
      key: 'd/t.txt.gz',
      folder: path.join(dir, 'dl'),
      fileName: 't.txt',
      transform: (src) => Readable.from(src).pipe(createGunzip()),
    });
    assert.equal(await readFile(out.path, 'utf8'), text);
    assert.deepEqual(await readdir(path.join(dir, 'dl')), ['t.txt']);
  });

  it('a download cancelled half way keeps the old file and leaves no temp file', async () => {
    const folder = path.join(dir, 'cancel');
    await downloadObject(c, { bucket, key: 'big.bin', folder, fileName: 'big.bin' });
    await writeFile(path.join(folder, 'big.bin'), 'the old local file');
    const ac = new AbortController();
    await assert.rejects(
      downloadObject(c, { bucket, key: 'big.bin', folder, fileName: 'big.bin', overwrite: true, signal: ac.signal, onProgress: (n) => n > 1024 * 1024 && ac.abort() }),
      { code: 'Cancelled' },
    );
    assert.equal(await readFile(path.join(folder, 'big.bin'), 'utf8'), 'the old local file');
    assert.deepEqual(await readdir(folder), ['big.bin']);
  });

  it('refuses to load an object over the size guard', async () => {
    await assert.rejects(getObjectBytes(c, { bucket, key: 'big.bin' }, { maxBytes: 1024 }), { code: 'TooLarge' });
  });

  it('presigns a GET that works without credentials', async () => {
    const url = await presignGet(c, { bucket, key: 'd/t.txt.gz' }, 60);
    assert.doesNotMatch(url, /testing-secret|si-canary/);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    await assert.rejects(presignGet(c, { bucket, key: 'x' }, 8 * 24 * 3600), /expiresInSeconds/);
  });
});
