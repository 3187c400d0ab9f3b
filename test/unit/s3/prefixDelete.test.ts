import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { countPrefixVersions, deletePrefixVersions } from '../../../src/core/s3';
import { SKIP, aws, client, countRequests, newBucket, putMany } from './helpers';

/** Every version and delete marker the aws CLI sees under a prefix. */
async function cliVersions(bucket: string, prefix: string): Promise<string[]> {
  const out = JSON.parse((await aws('s3api', 'list-object-versions', '--bucket', bucket, '--prefix', prefix)) || '{}') as { Versions?: { Key: string }[]; DeleteMarkers?: { Key: string }[] };
  return [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].map((v) => v.Key).sort();
}

describe('deleting a prefix with all its versions', { skip: SKIP }, () => {
  const c = client({ requestTimeoutMs: 30_000 });

  it('removes 2,500 versions and delete markers in 3 DeleteObjects requests, and keeps the keys beside the prefix', async () => {
    const bucket = await newBucket(c, 'pdel', true);
    // 800 keys with 3 versions each, and a delete marker on 100 of them: 2,500 entries.
    const keys = Array.from({ length: 800 }, (_, i) => `logs/2026/k${String(i).padStart(4, '0')}`);
    await putMany(c, bucket, [...keys, ...keys, ...keys]);
    await Promise.all(Array.from({ length: 10 }, (_, w) => (async () => {
      for (let i = w; i < 100; i += 10) await c.send(new DeleteObjectCommand({ Bucket: bucket, Key: keys[i] }));
    })()));
    await putMany(c, bucket, ['logs-other/keep', 'logs', 'keep/logs/x']);
    assert.equal((await countPrefixVersions(c, bucket, 'logs/')).versions, 2500);

    const counts = countRequests(c);
    let reported = 0;
    const out = await deletePrefixVersions(c, { bucket, prefix: 'logs/', onProgress: (n) => (reported = n) });
    assert.equal(out.deleted, 2500);
    assert.deepEqual(out.failed, []);
    assert.equal(out.requests, 3);
    assert.equal(counts.get('DeleteObjectsCommand'), 3, 'batched 1000 keys per request');
    assert.equal(reported, 2500);
    assert.deepEqual(await cliVersions(bucket, 'logs/'), [], 'the aws CLI sees no version or marker left');
    assert.deepEqual(await cliVersions(bucket, ''), ['keep/logs/x', 'logs', 'logs-other/keep']);
  });

  it('works in an unversioned bucket too', async () => {
    const bucket = await newBucket(c, 'pdelu', false);
    await putMany(c, bucket, ['a/1', 'a/b/2', 'a/b/c/3', 'ab']);
    const out = await deletePrefixVersions(c, { bucket, prefix: 'a/' });
    assert.equal(out.deleted, 3);
    assert.equal(out.requests, 1);
    assert.deepEqual(await cliVersions(bucket, ''), ['ab']);
  });

  it('refuses an empty prefix (that is the whole bucket)', async () => {
    await assert.rejects(deletePrefixVersions(c, { bucket: 'any', prefix: '' }), { code: 'BadInput' });
  });

  it('stops at a cancel before the next batch', async () => {
    const bucket = await newBucket(c, 'pdelc', false);
    await putMany(c, bucket, Array.from({ length: 1100 }, (_, i) => `x/${i}`));
    const ac = new AbortController();
    await assert.rejects(deletePrefixVersions(c, { bucket, prefix: 'x/', signal: ac.signal, onProgress: () => ac.abort() }), { code: 'Cancelled' });
    assert.equal((await cliVersions(bucket, 'x/')).length, 100, 'the first batch of 1000 went, the rest stayed');
  });
});
