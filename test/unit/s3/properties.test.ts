import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { copyObject, getObjectBytes, putObject, restoreVersion } from '../../../src/core/s3';
import { op, startFaultProxy } from '../../support/faultProxy';
import { SKIP, aws, client, endpoint, newBucket, tempDir } from './helpers';

type Head = Record<string, unknown>;

/** head-object without what a new version must change (its bytes, identity and time). */
async function properties(bucket: string, key: string): Promise<{ head: Head; tags: unknown }> {
  const head = JSON.parse(await aws('s3api', 'head-object', '--bucket', bucket, '--key', key)) as Head;
  for (const k of ['ETag', 'LastModified', 'ContentLength', 'VersionId', 'AcceptRanges', 'ChecksumCRC32', 'ChecksumSHA256', 'ChecksumType']) delete head[k];
  const tags = JSON.parse(await aws('s3api', 'get-object-tagging', '--bucket', bucket, '--key', key)) as { TagSet: unknown; VersionId?: string };
  return { head, tags: tags.TagSet };
}

describe('an S3 save keeps the object properties', { skip: SKIP }, () => {
  const c = client();
  const dir = tempDir('props');
  let bucket = '';
  let kmsKey = '';
  before(async () => {
    bucket = await newBucket(c, 'props');
    kmsKey = (JSON.parse(await aws('kms', 'create-key')) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  });

  const cases: [string, (file: string, key: string) => string[]][] = [
    ['KMS, tags, every content header, STANDARD_IA', (file, key) => [
      '--key', key, '--body', file, '--content-type', 'text/markdown; charset=utf-8', '--cache-control', 'max-age=60, private',
      '--content-disposition', 'attachment; filename="notes.md"', '--content-encoding', 'identity', '--content-language', 'de-CH',
      '--expires', '2031-02-03T04:05:06Z', '--website-redirect-location', '/elsewhere', '--metadata', 'owner=ops,Reviewed-By=ana',
      '--tagging', 'team=data&note=a%20b%2Bc', '--storage-class', 'STANDARD_IA', '--server-side-encryption', 'aws:kms', '--ssekms-key-id', kmsKey,
    ]],
    ['SSE-S3 and ONEZONE_IA, no tags', (file, key) => ['--key', key, '--body', file, '--content-type', 'application/json', '--storage-class', 'ONEZONE_IA', '--server-side-encryption', 'AES256']],
  ];
  for (const [label, args] of cases) {
    for (const expect of ['etag', 'any'] as const) {
      it(`${label}: carried to the new version (${expect === 'etag' ? 'conditional save' : 'overwrite'}), as head-object and get-object-tagging see it`, async () => {
        const key = `doc-${label.length}-${expect}.md`;
        const file = path.join(dir, 'v1.md');
        await writeFile(file, '# v1\n');
        await aws('s3api', 'put-object', '--bucket', bucket, ...args(file, key));
        const before = await properties(bucket, key);
        assert.ok(before.head.StorageClass && before.head.ServerSideEncryption && before.head.ContentType, 'the fixture has the properties under test');
        if (before.head.ServerSideEncryption === 'aws:kms') {
          assert.equal(before.head.SSEKMSKeyId, kmsKey);
          assert.equal((before.tags as unknown[]).length, 2);
          assert.equal(Object.keys(before.head.Metadata as object).length, 2);
        }
        const read = await getObjectBytes(c, { bucket, key }, { maxBytes: 1000 });
        const out = await putObject(c, { bucket, key, body: '# v2\n', expect: expect === 'etag' ? { etag: read.etag! } : { any: true } });
        assert.notEqual(out.etag, read.etag);
        const after = await properties(bucket, key);
        assert.deepEqual(after, before);
        const back = await getObjectBytes(c, { bucket, key }, { maxBytes: 1000 });
        assert.equal(Buffer.from(back.bytes).toString(), '# v2\n');
      });
    }
  }

  it('restoring a version and copying keep storage class, encryption (KMS key), metadata and tags', async () => {
    const key = 'restore.md';
    const file = path.join(dir, 'r.md');
    await writeFile(file, 'old');
    const v1 = JSON.parse(await aws('s3api', 'put-object', '--bucket', bucket, ...cases[0]![1](file, key))) as { VersionId: string };
    const first = await properties(bucket, key);
    await writeFile(file, 'new');
    await aws('s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', file);
    await restoreVersion(c, { bucket, key, versionId: v1.VersionId });
    assert.deepEqual(await properties(bucket, key), first);
    await copyObject(c, { bucket, key }, { bucket, key: 'restore-copy.md' });
    assert.deepEqual(await properties(bucket, 'restore-copy.md'), first);
  });

  it('tags that cannot be read stop the save (it would drop them); a store without tagging saves', async () => {
    const key = 'tagged.txt';
    const file = path.join(dir, 't.txt');
    await writeFile(file, 'v1');
    await aws('s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', file, '--tagging', 'keep=me');
    const proxy = await startFaultProxy(endpoint!);
    try {
      const c2 = client({ endpoint: proxy.url, maxAttempts: 1 });
      const read = await getObjectBytes(c2, { bucket, key }, { maxBytes: 100 });
      proxy.inject({ fault: 'error-answer', status: 403, code: 'AccessDenied', match: op.tagging });
      await assert.rejects(putObject(c2, { bucket, key, body: 'v2', expect: { etag: read.etag! } }), (e: { code?: string; message: string }) => {
        assert.equal(e.code, 'NoPermission');
        assert.match(e.message, /tags cannot be read .*Nothing was saved/);
        return true;
      });
      assert.equal(Buffer.from((await getObjectBytes(c, { bucket, key }, { maxBytes: 100 })).bytes).toString(), 'v1');
      proxy.inject({ fault: 'error-answer', status: 501, code: 'NotImplemented', match: op.tagging });
      await putObject(c2, { bucket, key, body: 'v2', expect: { etag: read.etag! } });
      assert.equal(Buffer.from((await getObjectBytes(c, { bucket, key }, { maxBytes: 100 })).bytes).toString(), 'v2');
    } finally {
      await proxy.close();
    }
  });

  it('a new object gets only what the caller gives (nothing to carry)', async () => {
    await putObject(c, { bucket, key: 'fresh.txt', body: 'x', expect: { absent: true }, contentType: 'text/plain' });
    const { head, tags } = await properties(bucket, 'fresh.txt');
    assert.equal(head.ContentType, 'text/plain');
    assert.deepEqual(head.Metadata ?? {}, {});
    assert.deepEqual(tags, []);
  });

  it('a save sends its checksum, and S3 keeps it', async () => {
    await putObject(c, { bucket, key: 'sum.txt', body: 'checked', expect: { any: true } });
    const head = JSON.parse(await aws('s3api', 'head-object', '--bucket', bucket, '--key', 'sum.txt', '--checksum-mode', 'ENABLED')) as { ChecksumSHA256?: string };
    assert.equal(head.ChecksumSHA256, '5ho9eMZRM8cmDEPnGdl8RuFr1Qxk7ngAU2zxTGQHphc=');
  });
});
