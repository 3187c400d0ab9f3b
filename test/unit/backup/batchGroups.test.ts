import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicBatch } from '../../../src/core/local/atomicWrite';
import { isTempName } from '../../../src/core/local/tempNames';
import { syncFileSystem, trustsSyncfs } from '../../../src/core/local/syncfs';
import { tempDir } from './helpers';

/** Our temps in `dir`, with their contents. */
function temps(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir)) if (isTempName(name)) out.set(name, readFileSync(join(dir, name), 'utf8'));
  return out;
}

describe('AtomicBatch, grouped (one sync of the file system for many files)', () => {
  const dir = tempDir('batch-groups');

  it('names no file before the sync of its group, then places every one; a few syncs stand for many fsyncs', async () => {
    const sub = join(dir, 'order');
    const paths = Array.from({ length: 40 }, (_, i) => join(sub, `f${i}.txt`));
    mkdirSync(sub);
    const syncs: { at: string; named: number; temps: number }[] = [];
    const b = new AtomicBatch({
      exclusive: true,
      grouped: true,
      syncer: async (at) => {
        // what a crash at this moment would leave: temps with all their bytes, and no target yet
        const t = temps(sub);
        syncs.push({ at, named: paths.filter((p) => existsSync(p)).length, temps: t.size });
        for (const body of t.values()) assert.match(body, /^bytes of f\d+$/);
      },
    });
    const commits: Promise<void>[] = [];
    for (const [i, p] of paths.entries()) {
      const f = await b.begin(p, 0o644);
      await f.write(Buffer.from(`bytes of f${i}`), 0);
      commits.push(b.commit(f, { mode: 0o640, mtime: 1_700_000_000 + i }));
    }
    await b.finish();
    await Promise.all(commits);
    // the group's sync, then the folders' one in finish()
    assert.deepEqual(syncs, [{ at: sub, named: 0, temps: 40 }, { at: sub, named: 40, temps: 0 }]);
    for (const [i, p] of paths.entries()) {
      assert.equal(readFileSync(p, 'utf8'), `bytes of f${i}`);
      assert.equal(statSync(p).mode & 0o7777, 0o640);
      assert.equal(statSync(p).mtimeMs, (1_700_000_000 + i) * 1000);
    }
    assert.equal(temps(sub).size, 0);
  });

  it('where the file system cannot be synced so, each file is fsync\'d instead and placed; the sync is not tried again', async () => {
    const sub = join(dir, 'fallback');
    mkdirSync(sub);
    let tried = 0;
    const b = new AtomicBatch({ grouped: true, syncer: async () => { tried++; throw new Error('no syncfs here'); } });
    const commits: Promise<void>[] = [];
    for (let i = 0; i < 5; i++) {
      const f = await b.begin(join(sub, `g${i}`));
      await f.write(Buffer.from(`g${i}`), 0);
      commits.push(b.commit(f, { mode: 0o600 }));
    }
    await b.finish();
    await Promise.all(commits);
    assert.equal(tried, 1);
    for (let i = 0; i < 5; i++) assert.equal(readFileSync(join(sub, `g${i}`), 'utf8'), `g${i}`);
    assert.equal(temps(sub).size, 0);
    // and a later file of the same batch takes the fsync path at once
    const f = await b.begin(join(sub, 'later'));
    await f.write(Buffer.from('later'), 0);
    await b.commit(f, { mode: 0o600 });
    assert.equal(readFileSync(join(sub, 'later'), 'utf8'), 'later');
    await b.finish();
    assert.equal(tried, 1);
  });

  it('one file of a group that cannot be placed (another program made it meanwhile) fails alone: it is kept, the others are placed, no temp is left', async () => {
    const sub = join(dir, 'raced');
    mkdirSync(sub);
    const b = new AtomicBatch({ exclusive: true, grouped: true, syncer: async () => undefined });
    const commits: Promise<void>[] = [];
    for (let i = 0; i < 3; i++) {
      const f = await b.begin(join(sub, `h${i}`));
      await f.write(Buffer.from(`ours ${i}`), 0);
      commits.push(b.commit(f, { mode: 0o644 }));
    }
    writeFileSync(join(sub, 'h1'), 'theirs');
    await b.finish();
    const r = await Promise.allSettled(commits);
    assert.deepEqual(r.map((x) => x.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal((r[1] as PromiseRejectedResult).reason.code, 'Exists');
    assert.equal(readFileSync(join(sub, 'h0'), 'utf8'), 'ours 0');
    assert.equal(readFileSync(join(sub, 'h1'), 'utf8'), 'theirs');
    assert.equal(readFileSync(join(sub, 'h2'), 'utf8'), 'ours 2');
    assert.equal(temps(sub).size, 0);
  });

  it('abort() still places the files whose commit was asked for, and removes the ones still open', async () => {
    const sub = join(dir, 'abort');
    mkdirSync(sub);
    const b = new AtomicBatch({ exclusive: true, grouped: true, syncer: async () => undefined });
    const done = await b.begin(join(sub, 'done'));
    await done.write(Buffer.from('all of it'), 0);
    const committed = b.commit(done, { mode: 0o644 });
    const open = await b.begin(join(sub, 'open'));
    await open.write(Buffer.from('half'), 0);
    await b.abort();
    await committed;
    assert.equal(readFileSync(join(sub, 'done'), 'utf8'), 'all of it');
    assert.equal(existsSync(join(sub, 'open')), false);
    assert.equal(temps(sub).size, 0);
  });

  it('the default sync (syncfs through `sync --file-system`) runs here, and a missing path is an error', { skip: process.platform !== 'linux' ? 'syncfs is Linux only' : false }, async () => {
    assert.ok(syncFileSystem);
    await syncFileSystem(dir);
    await assert.rejects(syncFileSystem(join(dir, 'no', 'such')), /no such file/i);
  });

  it('syncfs is trusted only on local file systems that sync every file (FUSE answers it without syncing: one fsync per file there)', () => {
    assert.equal(trustsSyncfs(0xef53), true); // ext4
    assert.equal(trustsSyncfs(0x58465342), true); // xfs
    assert.equal(trustsSyncfs(0x65735546), false); // FUSE
    assert.equal(trustsSyncfs(0x6969), false); // NFS
    assert.equal(trustsSyncfs(0xff534d42), false); // CIFS
  });
});
