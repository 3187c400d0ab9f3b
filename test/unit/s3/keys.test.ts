import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { downloadObject, getObjectBytes, listPage, putObject, safeJoin } from '../../../src/core/s3';
import { SKIP, aws, client, newBucket, tempDir } from './helpers';

const WEIRD = ['with space.txt', 'ünïcødé/日本語.txt', 'a//double.txt', '/leading.txt', 'plus+and%25.txt'];

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

describe('safeJoin', () => {
  const root = path.resolve('/tmp/si-root');
  it('keeps keys with spaces, unicode, // and a leading / inside the folder', () => {
    assert.equal(safeJoin(root, 'with space.txt'), path.join(root, 'with space.txt'));
    assert.equal(safeJoin(root, 'a//b.txt'), path.join(root, 'a', 'b.txt'));
    assert.equal(safeJoin(root, '/etc/passwd'), path.join(root, 'etc', 'passwd'));
    assert.equal(safeJoin(root, 'ü/日本.txt'), path.join(root, 'ü', '日本.txt'));
  });
  it('refuses .., . and drive paths instead of normalising them', () => {
    for (const k of ['../x', 'a/../../x', 'a/..', './x', '..\\x', 'C:/x', '', 'a\0b', '//']) {
      assert.throws(() => safeJoin(root, k), { code: 'BadInput' }, k);
    }
  });
});

describe('weird keys against moto', { skip: SKIP }, () => {
  const c = client();
  let bucket = '';
  const dir = tempDir('keys');
  before(async () => {
    bucket = await newBucket(c, 'keys', false);
    for (const k of [...WEIRD, '../escape.txt', 'x/../../escape2.txt']) await putObject(c, { bucket, key: k, body: `body of ${k}`, expect: { any: true } });
  });

  it('round-trips every weird key byte for byte, as the aws CLI sees it', async () => {
    const cli = JSON.parse(await aws('s3api', 'list-objects-v2', '--bucket', bucket)) as { Contents: { Key: string }[] };
    const cliKeys = cli.Contents.map((o) => o.Key).sort();
    const ours: string[] = [];
    let token: string | undefined;
    do {
      const p = await listPage(c, { bucket, delimiter: '', continuationToken: token });
      ours.push(...p.objects.map((o) => o.key));
      token = p.nextToken;
    } while (token);
    assert.deepEqual(ours.sort(), cliKeys);
    for (const k of WEIRD) {
      assert.ok(ours.includes(k), k);
      const got = await getObjectBytes(c, { bucket, key: k }, { maxBytes: 1000 });
      assert.equal(Buffer.from(got.bytes).toString(), `body of ${k}`);
    }
  });

  it('downloads weird keys inside the folder and refuses keys that would escape it', async () => {
    const target = path.join(dir, 'dl');
    for (const k of WEIRD) await downloadObject(c, { bucket, key: k, folder: target });
    for (const k of ['../escape.txt', 'x/../../escape2.txt']) {
      await assert.rejects(downloadObject(c, { bucket, key: k, folder: target }), { code: 'BadInput' });
    }
    const files = await walk(dir);
    for (const f of files) assert.ok(f.startsWith(target + path.sep), f);
    assert.equal(files.length, WEIRD.length);
    assert.equal(await readFile(path.join(target, 'with space.txt'), 'utf8'), 'body of with space.txt');
    assert.equal(await readFile(path.join(target, 'leading.txt'), 'utf8'), 'body of /leading.txt');
    await assert.rejects(downloadObject(c, { bucket, key: WEIRD[0]!, folder: target }), { code: 'Exists' });
  });
});
