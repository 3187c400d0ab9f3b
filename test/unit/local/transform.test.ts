import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { transformedName, writeBeside } from '../../../src/core/local/transform';

let dir: string;

describe('transform in place', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'si-transform-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the new file after the layers', () => {
    assert.equal(transformedName('x.json', 'encrypt', true), 'x.json.gz.age');
    assert.equal(transformedName('x.json', 'encrypt'), 'x.json.age');
    assert.equal(transformedName('x.json', 'compress'), 'x.json.gz');
    assert.equal(transformedName('x.json.gz.age', 'decrypt'), 'x.json');
    assert.equal(transformedName('x.json.gz', 'decompress'), 'x.json');
    assert.equal(transformedName('blob', 'decompress'), 'blob.decompressed');
  });

  it('compresses beside the original, verifies, and deletes the original only when asked', async () => {
    const src = join(dir, 'a.json');
    const plain = Buffer.from('{"a":1}');
    writeFileSync(src, plain);
    const gz = gzipSync(plain);
    const verify = async (dest: string) => gunzipSync(readFileSync(dest)).equals(plain);
    const kept = await writeBeside(src, join(dir, 'a.json.gz'), gz, verify);
    assert.deepEqual(kept, { path: join(dir, 'a.json.gz'), deleted: false });
    assert.ok(existsSync(src));
    rmSync(join(dir, 'a.json.gz'));
    const gone = await writeBeside(src, join(dir, 'a.json.gz'), gz, verify, { deleteOriginal: true });
    assert.equal(gone.deleted, true);
    assert.ok(!existsSync(src));
    assert.ok(gunzipSync(readFileSync(join(dir, 'a.json.gz'))).equals(plain));
  });

  it('a failed check removes the new file and keeps the original', async () => {
    const src = join(dir, 'b.json');
    writeFileSync(src, 'b');
    await assert.rejects(
      writeBeside(src, join(dir, 'b.json.gz'), gzipSync('other'), async () => false, { deleteOriginal: true }),
      (e) => isStorageError(e) && e.code === 'Integrity' && /b\.json was kept/.test(e.message),
    );
    assert.ok(existsSync(src));
    assert.ok(!existsSync(join(dir, 'b.json.gz')));
  });

  it('never overwrites an existing file beside the original', async () => {
    const src = join(dir, 'c.json');
    writeFileSync(src, 'c');
    writeFileSync(join(dir, 'c.json.gz'), 'precious');
    await assert.rejects(writeBeside(src, join(dir, 'c.json.gz'), gzipSync('c'), async () => true), (e) => isStorageError(e) && e.code === 'Exists');
    assert.equal(readFileSync(join(dir, 'c.json.gz'), 'utf8'), 'precious');
  });
});
