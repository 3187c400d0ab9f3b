import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listAll, listPage, listVersionsPage } from '../../../src/core/s3';
import { SKIP, client, newBucket } from './helpers';

/** Counts the list requests the SDK actually sends, by command name. */
function countRequests(c: S3Client): Map<string, number> {
  const counts = new Map<string, number>();
  c.middlewareStack.add(
    (next, context) => async (args) => {
      counts.set(context.commandName ?? '?', (counts.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'siCountRequests' },
  );
  return counts;
}

async function putMany(c: S3Client, bucket: string, keys: string[], concurrency = 32): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < keys.length) {
        const key = keys[i++]!;
        await c.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
      }
    }),
  );
}

describe('paged listing', { skip: SKIP }, () => {
  const c = client();
  let bucket = '';
  const N = 2500;

  before(async () => {
    bucket = await newBucket(c, 'paging', false);
    await putMany(c, bucket, Array.from({ length: N }, (_, i) => `many/k${String(i).padStart(5, '0')}`));
  });

  it('the first page is exactly one request of 1000 keys, with a token for more', async () => {
    const counted = client();
    const counts = countRequests(counted);
    const page = await listPage(counted, { bucket, prefix: 'many/' });
    assert.equal(counts.get('ListObjectsV2Command'), 1);
    assert.equal(page.objects.length, 1000);
    assert.ok(page.nextToken);
  });

  it('2,500 keys page as 1000 + 1000 + 500 in three requests', async () => {
    const counted = client();
    const counts = countRequests(counted);
    const sizes: number[] = [];
    const seen = new Set<string>();
    for await (const p of listAll(counted, { bucket, prefix: 'many/' })) {
      sizes.push(p.objects.length);
      for (const o of p.objects) seen.add(o.key);
    }
    assert.deepEqual(sizes, [1000, 1000, 500]);
    assert.equal(counts.get('ListObjectsV2Command'), 3);
    assert.equal(seen.size, N);
  });

  it('the delimiter folds the keys into one prefix', async () => {
    const page = await listPage(c, { bucket });
    assert.deepEqual(page.prefixes, ['many/']);
    assert.equal(page.objects.length, 0);
    assert.equal(page.nextToken, undefined);
  });

  it('versions page with key/version markers and cover every key once', async () => {
    const counted = client();
    const counts = countRequests(counted);
    const keys = new Set<string>();
    let cursor;
    let pages = 0;
    do {
      const p = await listVersionsPage(counted, { bucket, prefix: 'many/', cursor });
      for (const k of p.keys) keys.add(k.key);
      cursor = p.next;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.equal(counts.get('ListObjectVersionsCommand'), 3);
    assert.equal(keys.size, N);
  });

  it('refuses a page size S3 would not honour, naming the parameter', async () => {
    await assert.rejects(listPage(c, { bucket, maxKeys: 5000 }), /maxKeys/);
  });
});
