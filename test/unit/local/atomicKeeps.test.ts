import assert from 'node:assert/strict';
import { chmodSync, chownSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { atomicWrite } from '../../../src/core/local/atomicWrite';
import { isTempName, tempPathFor } from '../../../src/core/local/tempNames';

let dir: string;

describe('atomic write keeps what the file was', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'si-keeps-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a file whose name is 231 to 255 bytes long saves, and its temp name is recognised', async () => {
    for (const n of [231, 240, 255]) {
      const p = join(dir, 'n'.repeat(n - 4) + '.txt');
      writeFileSync(p, 'old');
      await atomicWrite(p, Buffer.from(`new ${n}`));
      assert.equal(readFileSync(p, 'utf8'), `new ${n}`);
    }
    // Multi-byte names are cut on a character boundary, never inside one.
    const wide = join(dir, 'é'.repeat(126) + '.b');
    writeFileSync(wide, 'old');
    await atomicWrite(wide, Buffer.from('new'));
    assert.equal(readFileSync(wide, 'utf8'), 'new');
    const temp = tempPathFor(wide).split('/').pop() ?? '';
    assert.ok(Buffer.byteLength(temp) <= 255 && isTempName(temp) && !temp.includes('\ufffd'));
    assert.deepEqual(readdirSync(dir).filter(isTempName), []);
  });

  it('keeps a mode the umask would strip (0666, 0600) and setgid bits', async () => {
    for (const mode of [0o666, 0o600, 0o2775]) {
      const p = join(dir, `mode-${mode.toString(8)}`);
      writeFileSync(p, 'x');
      chmodSync(p, mode);
      await atomicWrite(p, Buffer.from('y'));
      assert.equal(statSync(p).mode & 0o7777, mode);
    }
  });

  it("keeps the file's owner and group (tests run as root)", async () => {
    const p = join(dir, 'owned.txt');
    writeFileSync(p, 'x');
    chownSync(p, 1234, 5678);
    await atomicWrite(p, Buffer.from('y'));
    const st = statSync(p);
    assert.deepEqual([st.uid, st.gid], [1234, 5678]);
  });

  it('a symlink chain stays links; the final target gets the bytes and keeps its mode', async () => {
    const real = join(dir, 'chain-real.db');
    writeFileSync(real, 'old');
    chmodSync(real, 0o600);
    symlinkSync('chain-real.db', join(dir, 'chain-1'));
    symlinkSync('chain-1', join(dir, 'chain-2'));
    await atomicWrite(join(dir, 'chain-2'), Buffer.from('new'));
    assert.ok(lstatSync(join(dir, 'chain-2')).isSymbolicLink() && lstatSync(join(dir, 'chain-1')).isSymbolicLink());
    assert.equal(readFileSync(real, 'utf8'), 'new');
    assert.equal(statSync(real).mode & 0o777, 0o600);
  });

  it('beforeRename runs after the bytes are durable and before the target changes; its refusal keeps the old file', async () => {
    const p = join(dir, 'guarded.txt');
    writeFileSync(p, 'theirs');
    let sawTemp = false;
    await assert.rejects(
      atomicWrite(p, Buffer.from('mine'), {
        beforeRename: async () => {
          sawTemp = readdirSync(dir).some(isTempName);
          throw Object.assign(new Error('changed on disk'), { code: 'Conflict', isStorageError: true });
        },
      }),
      (e) => isStorageError(e) && e.code === 'Conflict',
    );
    assert.ok(sawTemp, 'the new bytes were already written to the temp file');
    assert.equal(readFileSync(p, 'utf8'), 'theirs');
    assert.deepEqual(readdirSync(dir).filter(isTempName), []);
  });

  it('a name too long for the file system says so and what to do', async () => {
    const p = join(dir, 'x'.repeat(256));
    await assert.rejects(atomicWrite(p, Buffer.from('y')), (e) => isStorageError(e) && e.code === 'BadInput' && /too long for this file system/.test(e.message) && /shorter name/.test(e.message));
  });
});
