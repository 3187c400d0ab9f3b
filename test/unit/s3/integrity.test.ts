import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { downloadObject, getObjectBytes, putObject } from '../../../src/core/s3';
import { recordFault } from '../../support/faultLedger';
import { op, startFaultProxy, type FaultProxy } from '../../support/faultProxy';
import { SKIP, client, endpoint, newBucket, tempDir } from './helpers';

describe('what we show is what is stored', { skip: SKIP }, () => {
  const direct = client();
  const dir = tempDir('integrity');
  const data = randomBytes(300_000);
  let proxy: FaultProxy;
  let bucket = '';
  before(async () => {
    bucket = await newBucket(direct, 'integrity');
    proxy = await startFaultProxy(endpoint!);
    // Our own save sends (and S3 keeps) a SHA-256; the aws CLI's default is a CRC32.
    await putObject(direct, { bucket, key: 'doc.bin', body: data, expect: { any: true } });
  });
  after(() => proxy.close());

  it('a body flipped on the way is an Integrity error, never bytes to open', async () => {
    const c = client({ endpoint: proxy.url, maxAttempts: 1 });
    proxy.inject({ fault: 'corrupt-body', match: op.get });
    await assert.rejects(getObjectBytes(c, { bucket, key: 'doc.bin' }, { maxBytes: 1_000_000 }), (e: { code?: string; message: string }) => {
      assert.equal(e.code, 'Integrity');
      assert.match(e.message, /do not match the checksum/);
      return true;
    });
    // And untouched it reads fine through the same proxy.
    const ok = await getObjectBytes(c, { bucket, key: 'doc.bin' }, { maxBytes: 1_000_000 });
    assert.ok(Buffer.from(ok.bytes).equals(data));
  });

  it('a corrupt download leaves the old file as it was and no temp file', async () => {
    const c = client({ endpoint: proxy.url, maxAttempts: 1 });
    const folder = path.join(dir, 'dl');
    await downloadObject(direct, { bucket, key: 'doc.bin', folder, fileName: 'keep.bin' });
    await writeFile(path.join(folder, 'keep.bin'), 'the old local file');
    proxy.inject({ fault: 'corrupt-body', match: op.get });
    await assert.rejects(downloadObject(c, { bucket, key: 'doc.bin', folder, fileName: 'keep.bin', overwrite: true }), { code: 'Integrity' });
    const local = await readFile(path.join(folder, 'keep.bin'), 'utf8');
    recordFault({ suite: 's3.download', fault: 'corrupt-body', operations: 1, bytesLost: local === 'the old local file' ? 0 : local.length });
    assert.equal(local, 'the old local file');
    assert.deepEqual(await readdir(folder), ['keep.bin']);
  });
});
