import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import { getObjectBytes, listKeyVersions, putObject } from '../../../src/core/s3';
import { recordFault } from '../../support/faultLedger';
import { op, startFaultProxy, type FaultProxy } from '../../support/faultProxy';
import { SKIP, aws, client, endpoint, newBucket, tempDir } from './helpers';

describe('a lost answer is not a conflict', { skip: SKIP }, () => {
  const direct = client();
  const dir = tempDir('lost');
  let proxy: FaultProxy;
  let bucket = '';
  before(async () => {
    bucket = await newBucket(direct, 'lost');
    proxy = await startFaultProxy(endpoint!);
  });
  after(() => proxy.close());

  /** What the aws CLI reads back, and how many versions the key has. */
  async function stored(key: string): Promise<{ text: string; versions: number }> {
    const file = path.join(dir, 'back.txt');
    await aws('s3', 'cp', `s3://${bucket}/${key}`, file);
    return { text: await readFile(file, 'utf8'), versions: (await listKeyVersions(direct, bucket, key)).versions.length };
  }

  for (const attempts of [2, 1]) {
    it(`If-Match PUT stored but its answer lost (${attempts === 2 ? 'the retry gets 412' : 'no retry left'}): saved, not Conflict`, async () => {
      const key = `doc-${attempts}.txt`;
      const v1 = await putObject(direct, { bucket, key, body: 'v1', expect: { absent: true } });
      const viaProxy = client({ endpoint: proxy.url, maxAttempts: attempts });
      proxy.inject({ fault: 'drop-response', match: op.put });
      const out = await putObject(viaProxy, { bucket, key, body: 'v2 ours', expect: { etag: v1.etag! } });
      assert.equal(proxy.injected['drop-response'] > 0, true);
      const after = await stored(key);
      recordFault({ suite: 's3.put', fault: 'drop-response', operations: 1, bytesLost: after.text === 'v2 ours' ? 0 : 'v2 ours'.length });
      assert.equal(out.alreadyStored, true);
      assert.equal(after.text, 'v2 ours');
      assert.equal(after.versions, 2, 'one new version, no duplicate');
      // The ETag we hand back is the stored one, so the next save's If-Match holds.
      const again = await putObject(direct, { bucket, key, body: 'v3', expect: { etag: out.etag! } });
      assert.notEqual(again.etag, out.etag);
    });
  }

  it('when not even the check gets an answer, the message says the save may have landed and saving again is safe', async () => {
    const key = 'unsure.txt';
    const v1 = await putObject(direct, { bucket, key, body: 'v1', expect: { absent: true } });
    const viaProxy = client({ endpoint: proxy.url, maxAttempts: 1 });
    let putSeen = false;
    proxy.inject({ fault: 'drop-response', match: (r) => op.put(r) && (putSeen = true) });
    proxy.inject({ fault: 'drop-response', match: (r) => op.head(r) && putSeen });
    await assert.rejects(putObject(viaProxy, { bucket, key, body: 'v2', expect: { etag: v1.etag! } }), (e: { code?: string; message: string }) => {
      assert.equal(e.code, 'Unavailable');
      assert.match(e.message, /may have reached the server; saving again is safe/);
      return true;
    });
    // And it is: the same save again, with the ETag it had, is recognised as done.
    const again = await putObject(direct, { bucket, key, body: 'v2', expect: { etag: v1.etag! } });
    assert.equal(again.alreadyStored, true);
    const after = await stored(key);
    recordFault({ suite: 's3.put', fault: 'drop-response+drop-check', operations: 2, bytesLost: after.text === 'v2' ? 0 : 2 });
    assert.equal(after.versions, 2);
  });

  it('create-only PUT (If-None-Match) whose answer was lost is saved too', async () => {
    const viaProxy = client({ endpoint: proxy.url });
    proxy.inject({ fault: 'drop-response', match: op.put });
    const out = await putObject(viaProxy, { bucket, key: 'new.txt', body: 'brand new', expect: { absent: true } });
    const after = await stored('new.txt');
    recordFault({ suite: 's3.put-create', fault: 'drop-response', operations: 1, bytesLost: after.text === 'brand new' ? 0 : 9 });
    assert.equal(out.alreadyStored, true);
    assert.equal(after.text, 'brand new');
  });

  it('saving again with the old ETag after an unanswered save finds its own bytes: nothing new written', async () => {
    const key = 'again.txt';
    const v1 = await putObject(direct, { bucket, key, body: 'v1', expect: { absent: true } });
    await putObject(direct, { bucket, key, body: 'v2', expect: { etag: v1.etag! } });
    const out = await putObject(direct, { bucket, key, body: 'v2', expect: { etag: v1.etag! } });
    assert.equal(out.alreadyStored, true);
    assert.equal((await stored(key)).versions, 2);
  });

  it('another writer in between is still a Conflict, and their bytes stay', async () => {
    const key = 'theirs.txt';
    const v1 = await putObject(direct, { bucket, key, body: 'v1', expect: { absent: true } });
    await putObject(direct, { bucket, key, body: 'theirs', expect: { any: true } });
    const viaProxy = client({ endpoint: proxy.url });
    proxy.inject({ fault: 'drop-response', match: op.put });
    await assert.rejects(putObject(viaProxy, { bucket, key, body: 'ours', expect: { etag: v1.etag! } }), { code: 'Conflict' });
    proxy.clear();
    assert.equal(Buffer.from((await getObjectBytes(direct, { bucket, key }, { maxBytes: 100 })).bytes).toString(), 'theirs');
  });
});
