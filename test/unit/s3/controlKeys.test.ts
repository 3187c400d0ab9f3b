import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deleteObject, downloadObject, getObjectBytes, listPage, listVersionsPage, putObject } from '../../../src/core/s3';
import { decodeListed } from '../../../src/core/s3/urlEncoding';
import { SKIP, aws, client, newBucket, tempDir } from './helpers';

// XML 1.0 cannot carry these as they are: a CR comes back as LF, most others not at all.
// (No LF: moto cannot route a path holding one. No NUL: it cannot be a file name.)
const KEYS = ['cr\rkey.txt', 'tab\tand\x01\x1f.txt', 'esc\x1b[0m\x7f.txt', 'plus+ space%41.txt', 'dir\r/inner.txt'];

describe('keys with control characters (EncodingType=url)', { skip: SKIP }, () => {
  const c = client();
  let bucket = '';
  const dir = tempDir('ctrl');
  before(async () => {
    bucket = await newBucket(c, 'ctrl', false);
    for (const k of KEYS) await putObject(c, { bucket, key: k, body: `body of ${JSON.stringify(k)}`, expect: { any: true } });
  });

  it('lists every key exactly as stored (the aws CLI, which decodes, agrees), folders included', async () => {
    const flat = await listPage(c, { bucket, delimiter: '' });
    assert.deepEqual(flat.objects.map((o) => o.key).sort(), [...KEYS].sort());
    const cli = JSON.parse(await aws('s3api', 'list-objects-v2', '--bucket', bucket)) as { Contents: { Key: string }[] };
    assert.deepEqual(cli.Contents.map((o) => o.Key).sort(), [...KEYS].sort());
    const top = await listPage(c, { bucket });
    assert.deepEqual(top.prefixes, ['dir\r/']);
    const inner = await listPage(c, { bucket, prefix: 'dir\r/' });
    assert.deepEqual(inner.objects.map((o) => o.key), ['dir\r/inner.txt']);
  });

  it('every listed key opens, downloads and deletes', async () => {
    const listed = (await listPage(c, { bucket, delimiter: '' })).objects.map((o) => o.key);
    for (const key of listed) {
      const got = await getObjectBytes(c, { bucket, key }, { maxBytes: 1000 });
      assert.equal(Buffer.from(got.bytes).toString(), `body of ${JSON.stringify(key)}`);
      const out = await downloadObject(c, { bucket, key, folder: dir });
      assert.equal(await readFile(out.path, 'utf8'), `body of ${JSON.stringify(key)}`);
      await deleteObject(c, { bucket, key });
    }
    const cli = JSON.parse((await aws('s3api', 'list-objects-v2', '--bucket', bucket)) || '{}') as { Contents?: unknown[] };
    assert.equal(cli.Contents?.length ?? 0, 0, 'every key was really deleted');
  });
});

describe('decoding listed keys', () => {
  it('decodes percent escapes, and + as a space as S3 writes it', () => {
    assert.equal(decodeListed('a%0Db+c%2B%20d'), 'a\rb c+ d');
    assert.equal(decodeListed('%E6%97%A5'), '日');
  });
  it('refuses a malformed escape with Integrity rather than guessing', () => {
    assert.throws(() => decodeListed('bad%E6'), { code: 'Integrity' });
  });

  it('decodes version listings and their markers when the server encoded them (moto does not)', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><ListVersionsResult><Name>b</Name><Prefix>d%0D%2F</Prefix><EncodingType>url</EncodingType>' +
      '<IsTruncated>true</IsTruncated><NextKeyMarker>d%0D%2Fk%0D</NextKeyMarker><NextVersionIdMarker>v1</NextVersionIdMarker>' +
      '<Version><Key>d%0D%2Fk%0D</Key><VersionId>v1</VersionId><IsLatest>true</IsLatest><Size>1</Size></Version>' +
      '<DeleteMarker><Key>d%0D%2Fgone%01</Key><VersionId>m1</VersionId><IsLatest>true</IsLatest></DeleteMarker>' +
      '<CommonPrefixes><Prefix>d%0D%2Fsub%0D%2F</Prefix></CommonPrefixes></ListVersionsResult>';
    let asked = '';
    const server = http.createServer((req, res) => {
      asked = req.url ?? '';
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(xml);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const c = client({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, maxAttempts: 1 });
      const page = await listVersionsPage(c, { bucket: 'b', prefix: 'd\r/' });
      assert.match(asked, /encoding-type=url/);
      assert.deepEqual(page.keys.map((k) => k.key), ['d\r/gone\x01', 'd\r/k\r']);
      assert.deepEqual(page.prefixes, ['d\r/sub\r/']);
      assert.deepEqual(page.next, { keyMarker: 'd\r/k\r', versionIdMarker: 'v1' });
    } finally {
      server.close();
    }
  });
});
