import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getObjectBytes, headObject, listBuckets, listPage, toStorageError } from '../../../src/core/s3';
import { SKIP, client, newBucket, bucketName } from './helpers';

const SECRET = 'wrong-secret-that-must-not-leak';

/** Replies to every request with one S3 error, as a real server would put it on the wire. */
function errorServer(status: number, code: string, headers: Record<string, string> = {}): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': 'r1', ...headers });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>server says ${code}</Message><RequestId>r1</RequestId></Error>`);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() })),
  );
}

/** A closed port: bind, learn the number, close. */
async function closedPort(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

function noSecret(e: unknown): true {
  const text = `${(e as Error).message} ${JSON.stringify(e)}`;
  assert.ok(!text.includes(SECRET), 'the secret key leaked into the error');
  return true;
}

describe('S3 errors on the wire', () => {
  const cases: [number, string, RegExp, string][] = [
    [403, 'SignatureDoesNotMatch', /check the credentials/i, 'NoPermission'],
    [403, 'InvalidAccessKeyId', /check the credentials/i, 'NoPermission'],
    [400, 'ExpiredToken', /check the credentials/i, 'NoPermission'],
    [403, 'AccessDenied', /access denied/i, 'NoPermission'],
    [404, 'NoSuchBucket', /bucket does not exist/, 'NotFound'],
    [412, 'PreconditionFailed', /someone else changed it/, 'Conflict'],
    [503, 'SlowDown', /throttling.*retry/i, 'Unavailable'],
  ];
  for (const [status, code, wording, expected] of cases) {
    it(`${status} ${code} -> ${expected}`, async () => {
      const srv = await errorServer(status, code);
      try {
        const c = client({ endpoint: srv.url, secretAccessKey: SECRET, maxAttempts: 1 });
        await assert.rejects(listPage(c, { bucket: 'b' }), (e: { code?: string; message: string }) => {
          assert.equal(e.code, expected);
          assert.match(e.message, wording);
          return noSecret(e);
        });
      } finally {
        srv.close();
      }
    });
  }

  it('a region redirect names the bucket region from the response', async () => {
    const srv = await errorServer(301, 'PermanentRedirect', { 'x-amz-bucket-region': 'eu-west-3' });
    try {
      await assert.rejects(listPage(client({ endpoint: srv.url, maxAttempts: 1 }), { bucket: 'b' }), /region to eu-west-3/);
    } finally {
      srv.close();
    }
  });

  it('a server that never answers fails in seconds as Unavailable (timeout)', async () => {
    const server = http.createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = client({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, maxAttempts: 1 });
    const started = Date.now();
    try {
      await assert.rejects(listBuckets(c), { code: 'Unavailable' });
      assert.ok(Date.now() - started < 15000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('a stopped server (closed port) is Unavailable within seconds, with what to do', async () => {
    const c = client({ endpoint: await closedPort(), secretAccessKey: SECRET });
    const started = Date.now();
    await assert.rejects(listBuckets(c), (e: { code?: string; message: string }) => {
      assert.equal(e.code, 'Unavailable');
      assert.match(e.message, /unreachable.*running/);
      return noSecret(e);
    });
    assert.ok(Date.now() - started < 10000, `took ${Date.now() - started} ms`);
  });

  it('maps an unknown failure without passing on the server text', () => {
    const e = toStorageError({ name: 'Weird', message: `echo ${SECRET}`, $metadata: { httpStatusCode: 500 } }, { action: 'list', bucket: 'b' });
    assert.equal(e.code, 'Unavailable');
    noSecret(e);
  });
});

describe('S3 errors against moto', { skip: SKIP }, () => {
  const c = client();
  let bucket = '';
  before(async () => {
    bucket = await newBucket(c, 'errors');
  });
  after(() => undefined);

  it('a missing bucket is NotFound', async () => {
    await assert.rejects(listPage(c, { bucket: bucketName('missing') }), { code: 'NotFound', message: /bucket does not exist/ });
  });

  it('a missing key and a missing version are NotFound with different wording', async () => {
    await assert.rejects(getObjectBytes(c, { bucket, key: 'nope' }, { maxBytes: 10 }), { code: 'NotFound', message: /no such object/ });
    await assert.rejects(headObject(c, { bucket, key: 'nope' }), { code: 'NotFound' });
    await assert.rejects(getObjectBytes(c, { bucket, key: 'nope', versionId: 'nosuchversion' }, { maxBytes: 10 }), {
      code: 'NotFound',
      message: /version does not exist/,
    });
  });

  it('checks its inputs and names the parameter', async () => {
    await assert.rejects(getObjectBytes(c, { bucket, key: '' }, { maxBytes: 10 }), /key:/);
    assert.throws(() => client({ endpoint: 'ftp://x' }), /endpoint:/);
  });
});
