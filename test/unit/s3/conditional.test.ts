import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { writeFile, readFile } from 'node:fs/promises';
import { detectConditionalWrites, getObjectBytes, listKeyVersions, putObject } from '../../../src/core/s3';
import { SKIP, aws, client, newBucket, tempDir } from './helpers';

describe('conditional writes', { skip: SKIP }, () => {
  const c = client();
  const dir = tempDir('cond');
  let bucket = '';

  before(async () => {
    bucket = await newBucket(c, 'cond');
  });

  it('moto honours If-Match on PUT, so the probe picks header mode and leaves no trace', async () => {
    assert.equal(await detectConditionalWrites(c, bucket), 'header');
    const cli = JSON.parse((await aws('s3api', 'list-object-versions', '--bucket', bucket)) || '{}') as { Versions?: unknown[]; DeleteMarkers?: unknown[] };
    assert.equal(cli.Versions?.length ?? 0, 0);
    assert.equal(cli.DeleteMarkers?.length ?? 0, 0);
  });

  for (const mode of ['header', 'head-check'] as const) {
    it(`${mode}: a write by the aws CLI between our get and our put makes our put a Conflict`, async () => {
      const key = `doc-${mode}.txt`;
      await putObject(c, { bucket, key, body: 'ours v1', expect: { absent: true }, mode });
      const read = await getObjectBytes(c, { bucket, key }, { maxBytes: 1000 });
      const theirs = path.join(dir, `theirs-${mode}.txt`);
      await writeFile(theirs, 'theirs');
      const cliPut = JSON.parse(await aws('s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', theirs)) as { VersionId: string };
      await assert.rejects(putObject(c, { bucket, key, body: 'ours v2', expect: { etag: read.etag! }, mode }), (e: { code?: string; message: string }) => {
        assert.equal(e.code, 'Conflict');
        assert.match(e.message, /someone else changed it/);
        return true;
      });
      // The other writer's version is intact and still the latest.
      const kv = await listKeyVersions(c, bucket, key);
      assert.equal(kv.versions[0]!.versionId, cliPut.VersionId);
      await aws('s3', 'cp', `s3://${bucket}/${key}`, path.join(dir, `back-${mode}.txt`));
      assert.equal(await readFile(path.join(dir, `back-${mode}.txt`), 'utf8'), 'theirs');
    });

    it(`${mode}: a put with the current ETag succeeds and makes a new version`, async () => {
      const key = `ok-${mode}.txt`;
      const first = await putObject(c, { bucket, key, body: 'a', expect: { absent: true }, mode });
      const second = await putObject(c, { bucket, key, body: 'b', expect: { etag: first.etag! }, mode });
      assert.notEqual(second.versionId, first.versionId);
      assert.equal((await listKeyVersions(c, bucket, key)).versions.length, 2);
    });

    it(`${mode}: create-only (If-None-Match: *) refuses an existing key`, async () => {
      const key = `create-${mode}.txt`;
      await putObject(c, { bucket, key, body: 'a', expect: { absent: true }, mode });
      await assert.rejects(putObject(c, { bucket, key, body: 'b', expect: { absent: true }, mode }), { code: 'Conflict' });
      const got = await getObjectBytes(c, { bucket, key }, { maxBytes: 10 });
      assert.equal(Buffer.from(got.bytes).toString(), 'a');
    });
  }
});
