import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicBatch } from '../../../src/core/local/atomicWrite';
import { tempDir } from './helpers';

// A batch skips the chown of a new file that is already owned as asked (a restore as root of
// root's files); a setgid folder gives new files its group, so there the chown must still run.
describe('AtomicBatch owners (as root)', { skip: process.getuid?.() !== 0 ? 'needs root to give files away' : false }, () => {
  const dir = tempDir('batch-owner');

  it("a file in a setgid folder of another group gets the owner asked for, not the folder's group", async () => {
    const folder = join(dir, 'setgid');
    mkdirSync(folder);
    chownSync(folder, 0, 4321);
    chmodSync(folder, 0o2775);
    const b = new AtomicBatch({ exclusive: true });
    const path = join(folder, 'f.txt');
    const f = await b.begin(path, 0o644);
    await f.write(Buffer.from('x'), 0);
    await b.commit(f, { mode: 0o644, uid: 0, gid: 0 });
    await b.finish();
    assert.equal(statSync(path).gid, 0);
    assert.equal(statSync(path).uid, 0);
  });

  it('a file given to another user and group gets them', async () => {
    const path = join(dir, 'given.txt');
    const b = new AtomicBatch({ exclusive: true });
    const f = await b.begin(path, 0o600);
    await b.commit(f, { mode: 0o600, uid: 1234, gid: 5678 });
    await b.finish();
    assert.equal(statSync(path).uid, 1234);
    assert.equal(statSync(path).gid, 5678);
  });
});
