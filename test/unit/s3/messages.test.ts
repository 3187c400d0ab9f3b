import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { downloadObject, getObjectBytes, headObject, putObject } from '../../../src/core/s3';
import { recordFault } from '../../support/faultLedger';
import { op, startFaultProxy, type FaultProxy } from '../../support/faultProxy';
import { SKIP, client, endpoint, newBucket, tempDir } from './helpers';

const MiB = 1024 * 1024;

describe('S3 messages say what happened', { skip: SKIP }, () => {
  const direct = client();
  const dir = tempDir('messages');
  let proxy: FaultProxy;
  let bucket = '';
  before(async () => {
    bucket = await newBucket(direct, 'messages');
    proxy = await startFaultProxy(endpoint!);
    await putObject(direct, { bucket, key: 'two-mib.bin', body: randomBytes(2 * MiB), expect: { any: true } });
  });
  after(() => proxy.close());

  it('a connection dropped mid-body says how much had arrived, for open and for download', async () => {
    const c = client({ endpoint: proxy.url, maxAttempts: 1 });
    const check = (e: { code?: string; message: string }) => {
      assert.equal(e.code, 'Unavailable');
      assert.match(e.message, /connection dropped after 1\.0 MiB of 2\.0 MiB had been transferred/);
      assert.doesNotMatch(e.message, /unreachable/);
      return true;
    };
    proxy.inject({ fault: 'reset-response', match: op.get, afterBytes: MiB });
    await assert.rejects(getObjectBytes(c, { bucket, key: 'two-mib.bin' }, { maxBytes: 4 * MiB }), check);
    proxy.inject({ fault: 'reset-response', match: op.get, afterBytes: MiB });
    const folder = path.join(dir, 'dl');
    await assert.rejects(downloadObject(c, { bucket, key: 'two-mib.bin', folder }), check);
    assert.deepEqual(readdirSync(folder), [], 'no partial or temp file');
  });

  it('a PUT the server refuses for a bad digest is an Integrity error, and nothing is stored', async () => {
    const c = client({ endpoint: proxy.url, maxAttempts: 1 });
    proxy.inject({ fault: 'error-answer', status: 400, code: 'BadDigest', match: op.put });
    await assert.rejects(putObject(c, { bucket, key: 'digest.txt', body: 'x', expect: { absent: true } }), (e: { code?: string; message: string }) => {
      assert.equal(e.code, 'Integrity');
      assert.match(e.message, /do not match the checksum sent with them \(BadDigest\), and stored nothing/);
      return true;
    });
    await assert.rejects(headObject(direct, { bucket, key: 'digest.txt' }), { code: 'NotFound' });
  });

  it('a 500 on HEAD is an internal server error, not "Unknown"', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(500, { 'content-length': '0' });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const c = client({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, maxAttempts: 1 });
      await assert.rejects(headObject(c, { bucket: 'b', key: 'k' }), (e: { code?: string; message: string }) => {
        assert.equal(e.code, 'Unavailable');
        assert.match(e.message, /internal error \(HTTP 500\)/);
        assert.doesNotMatch(e.message, /Unknown/);
        return true;
      });
    } finally {
      server.close();
    }
  });

  // The test run is root, so it can mount a tiny file system that fills up.
  const canMount = process.getuid?.() === 0 ? false : 'needs root to mount a tmpfs';
  it('a download to a full disk says so, and keeps the old file', { skip: canMount }, async () => {
    const mnt = path.join(dir, 'tiny');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]);
    try {
      writeFileSync(path.join(mnt, 'two-mib.bin'), 'the old local file');
      await assert.rejects(downloadObject(direct, { bucket, key: 'two-mib.bin', folder: mnt, overwrite: true }), (e: { code?: string; message: string }) => {
        assert.equal(e.code, 'Unavailable');
        assert.match(e.message, /not enough space on the disk .*two-mib\.bin.*left as it was/);
        return true;
      });
      const local = readFileSync(path.join(mnt, 'two-mib.bin'), 'utf8');
      const left = readdirSync(mnt);
      recordFault({ suite: 's3.download', fault: 'ENOSPC', operations: 1, bytesLost: local === 'the old local file' ? 0 : local.length });
      assert.equal(local, 'the old local file');
      assert.deepEqual(left, ['two-mib.bin'], 'no temp file left behind');
    } finally {
      execFileSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });
});
