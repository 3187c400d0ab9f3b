import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  getObjectBytes,
  getVersioning,
  listKeyVersions,
  listPage,
  listVersionsPage,
  restoreVersion,
  undelete,
  deleteObject,
} from '../../../src/core/s3';
import { SKIP, aws, client, newBucket, tempDir, ageKey, gzipAge, ageGunzip } from './helpers';

describe('versions against moto, written by the aws CLI', { skip: SKIP }, () => {
  const c = client();
  const key = 'conf/app/config.json.gz.age';
  const dir = tempDir('versions');
  let bucket = '';
  let identityFile = '';
  const cliVersions: string[] = [];
  let markerId = '';

  before(async () => {
    bucket = await newBucket(c, 'versions');
    const k = await ageKey(dir);
    identityFile = k.identityFile;
    for (let i = 1; i <= 3; i++) {
      const file = await gzipAge(dir, `v${i}.json`, JSON.stringify({ version: i }) + '\n', k.recipient);
      const out = JSON.parse(await aws('s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', file)) as { VersionId: string };
      cliVersions.push(out.VersionId);
    }
    const del = JSON.parse(await aws('s3api', 'delete-object', '--bucket', bucket, '--key', key)) as { VersionId: string; DeleteMarker: boolean };
    assert.equal(del.DeleteMarker, true);
    markerId = del.VersionId;
  });

  it('reports versioning as Enabled, and Never for a fresh bucket', async () => {
    assert.equal(await getVersioning(c, bucket), 'Enabled');
    const plain = await newBucket(c, 'plain', false);
    assert.equal(await getVersioning(c, plain), 'Never');
  });

  it('lists exactly the three versions and the marker, newest first, as deleted', async () => {
    const page = await listVersionsPage(c, { bucket, prefix: 'conf/app/' });
    assert.equal(page.keys.length, 1);
    const kv = page.keys[0]!;
    assert.equal(kv.key, key);
    assert.equal(kv.deleted, true);
    assert.deepEqual(kv.versions.map((v) => v.versionId), [markerId, ...[...cliVersions].reverse()]);
    assert.deepEqual(kv.versions.map((v) => v.isDeleteMarker), [true, false, false, false]);
    assert.deepEqual(kv.versions.map((v) => v.isLatest), [true, false, false, false]);
    // The CLI's own listing agrees.
    const cli = JSON.parse(await aws('s3api', 'list-object-versions', '--bucket', bucket)) as { Versions: unknown[]; DeleteMarkers: unknown[] };
    assert.equal(cli.Versions.length, 3);
    assert.equal(cli.DeleteMarkers.length, 1);
  });

  it('groups by prefix with the delimiter, and the plain listing hides the deleted key', async () => {
    const top = await listVersionsPage(c, { bucket });
    assert.deepEqual(top.prefixes, ['conf/']);
    const plain = await listPage(c, { bucket, prefix: 'conf/app/' });
    assert.deepEqual(plain.objects, []);
  });

  it('reads each version back, and age -d + gzip -d give its text', async () => {
    for (const [i, id] of cliVersions.entries()) {
      const got = await getObjectBytes(c, { bucket, key, versionId: id }, { maxBytes: 1 << 20 });
      const file = path.join(dir, `got${i}.age`);
      await writeFile(file, got.bytes);
      assert.equal(await ageGunzip(file, identityFile), JSON.stringify({ version: i + 1 }) + '\n');
    }
  });

  it('undeletes by removing the marker, then restores the first version as the newest', async () => {
    await assert.rejects(undelete(c, { bucket, key, versionId: cliVersions[0]! }), { code: 'BadInput' });
    await undelete(c, { bucket, key, versionId: markerId });
    let kv = await listKeyVersions(c, bucket, key);
    assert.equal(kv.deleted, false);
    assert.equal(kv.versions.length, 3);
    assert.equal(kv.versions[0]!.versionId, cliVersions[2]);

    const restored = await restoreVersion(c, { bucket, key, versionId: cliVersions[0]! });
    kv = await listKeyVersions(c, bucket, key);
    assert.equal(kv.versions.length, 4);
    assert.equal(kv.versions[0]!.versionId, restored.versionId);
    const head = JSON.parse(await aws('s3api', 'get-object', '--bucket', bucket, '--key', key, path.join(dir, 'latest.age'))) as { VersionId: string };
    assert.equal(head.VersionId, restored.versionId);
    assert.equal(await ageGunzip(path.join(dir, 'latest.age'), identityFile), '{"version":1}\n');
  });

  it('delete without a version adds a marker; with a version it removes it for good', async () => {
    const k2 = 'other.txt';
    await aws('s3api', 'put-object', '--bucket', bucket, '--key', k2, '--body', path.join(dir, 'v1.json'));
    const d = await deleteObject(c, { bucket, key: k2 });
    assert.equal(d.deleteMarker, true);
    let kv = await listKeyVersions(c, bucket, k2);
    assert.equal(kv.versions.length, 2);
    const real = kv.versions[1]!.versionId;
    await deleteObject(c, { bucket, key: k2, versionId: real });
    kv = await listKeyVersions(c, bucket, k2);
    assert.deepEqual(kv.versions.map((v) => v.isDeleteMarker), [true]);
    await assert.rejects(getObjectBytes(c, { bucket, key: k2, versionId: real }, { maxBytes: 100 }), { code: 'NotFound' });
  });
});
