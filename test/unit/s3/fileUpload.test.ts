// Uploads of local files stream each part from its byte range with a signed SHA-256. Checked
// against the aws CLI (it reads every upload back), at part-size boundaries, through a proxy that
// resets a part half way (the retry needs the bytes again), and with a file changed mid-upload.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { headObject, MIN_PART_SIZE, partSizeFor, uploadFile } from '../../../src/core/s3';
import { op, startFaultProxy, type FaultProxy } from '../../support/faultProxy';
import { SKIP, aws, client, endpoint, newBucket, tempDir } from './helpers';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('file uploads by ranges', { skip: SKIP }, () => {
  const c = client({ requestTimeoutMs: 30_000 });
  const dir = tempDir('fileup');
  let bucket = '';
  let proxy: FaultProxy;
  before(async () => {
    bucket = await newBucket(c, 'fileup', false);
    proxy = await startFaultProxy(endpoint!);
  });
  after(async () => proxy?.close());

  const readBack = async (key: string) => {
    const out = path.join(dir, `back-${key}`);
    await aws('s3', 'cp', `s3://${bucket}/${key}`, out);
    return readFileSync(out);
  };
  const openUploads = async () => (await c.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads?.length ?? 0;

  it('part size grows so no file needs more than 10,000 parts', () => {
    assert.equal(partSizeFor(1, 1), MIN_PART_SIZE);
    assert.equal(partSizeFor(100 * 1024 ** 3, 8 * 1024 ** 2), Math.ceil((100 * 1024 ** 3) / 10_000));
  });

  for (const size of [0, 1, MIN_PART_SIZE, MIN_PART_SIZE + 1, 2 * MIN_PART_SIZE + 500]) {
    it(`${size} bytes: the aws CLI reads back the same bytes, and the server keeps a SHA-256`, async () => {
      const data = randomBytes(size);
      const file = path.join(dir, `f${size}`);
      writeFileSync(file, data);
      let last = -1;
      await uploadFile(c, { bucket, key: `f${size}`, file, partSize: MIN_PART_SIZE, queueSize: 2, onProgress: (n) => (last = n) });
      assert.equal(sha(await readBack(`f${size}`)), sha(data));
      const head = await headObject(c, { bucket, key: `f${size}` });
      assert.ok(head.checksums.SHA256, 'a SHA-256 is stored');
      assert.equal(/-\d+"$/.test(head.etag ?? ''), size > MIN_PART_SIZE, 'multipart only above the part size');
      if (size > 0) assert.equal(last, size, 'progress reaches the size');
    });
  }

  it('a part reset half way and a throttled part are retried with their bytes read again', async () => {
    const data = randomBytes(2 * MIN_PART_SIZE + 1000);
    const file = path.join(dir, 'retried');
    writeFileSync(file, data);
    const pc = client({ endpoint: proxy.url, maxAttempts: 3, requestTimeoutMs: 30_000 });
    proxy.inject({ fault: 'reset-request', match: op.uploadPart, afterBytes: 1024 * 1024 });
    proxy.inject({ fault: 'slow-down', match: op.uploadPart });
    await uploadFile(pc, { bucket, key: 'retried', file, partSize: MIN_PART_SIZE, queueSize: 1 });
    assert.equal(proxy.injected['reset-request'], 1);
    assert.equal(proxy.injected['slow-down'], 1);
    assert.equal(sha(await readBack('retried')), sha(data));
    pc.destroy();
  });

  it('a file that changes during the upload is not stored, and no multipart upload stays open', async () => {
    const file = path.join(dir, 'growing');
    writeFileSync(file, randomBytes(2 * MIN_PART_SIZE));
    let grown = false;
    await assert.rejects(
      uploadFile(c, { bucket, key: 'growing', file, partSize: MIN_PART_SIZE, queueSize: 1, onProgress: (n) => { if (!grown && n > 1024 * 1024) { grown = true; appendFileSync(file, 'more'); } } }),
      { code: 'Conflict', message: /changed while it was being uploaded/ },
    );
    await assert.rejects(headObject(c, { bucket, key: 'growing' }), { code: 'NotFound' });
    assert.equal(await openUploads(), 0);
  });

  it('a cancel aborts the multipart upload on the server', async () => {
    const file = path.join(dir, 'cancelled');
    writeFileSync(file, randomBytes(3 * MIN_PART_SIZE));
    const ac = new AbortController();
    await assert.rejects(uploadFile(c, { bucket, key: 'cancelled', file, partSize: MIN_PART_SIZE, queueSize: 1, signal: ac.signal, onProgress: (n) => n > MIN_PART_SIZE && ac.abort() }), { code: 'Cancelled' });
    await assert.rejects(headObject(c, { bucket, key: 'cancelled' }), { code: 'NotFound' });
    assert.equal(await openUploads(), 0);
  });
});
