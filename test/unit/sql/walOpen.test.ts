import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { applyWal, scanWal } from '../../../src/core/sql/wal';
import { cli, openSession, tempDir, walDb } from './support';

describe('a WAL database is opened with its committed frames', () => {
  it('the grid sees the rows that are only in the -wal, as sqlite3 does', async () => {
    const dir = tempDir();
    const db = walDb(dir);
    const wal = readFileSync(`${db}-wal`);
    assert.ok(scanWal(wal).committedFrames > 0, 'the fixture keeps commits in its -wal');
    // The oracle reads a copy, because sqlite3 checkpoints the original when it closes.
    copyFileSync(db, join(dir, 'oracle.db'));
    copyFileSync(`${db}-wal`, join(dir, 'oracle.db-wal'));
    const expected = cli(join(dir, 'oracle.db'), "SELECT count(*) || ':' || (SELECT v FROM t WHERE id = 2) FROM t");
    const s = await openSession(db);
    try {
      const r = await s.call('run', { script: "SELECT count(*) || ':' || (SELECT v FROM t WHERE id = 2) FROM t" });
      assert.equal(r[0]?.rows[0]?.[0], expected);
      assert.equal(expected, '52:TWO');
      assert.equal(s.dirty, false);
      assert.equal(s.diskState?.walFrames, scanWal(wal).committedFrames);
    } finally {
      await s.close();
    }
  });

  it('frames after the last commit, a wrong salt or a bad checksum are not applied', () => {
    const dir = tempDir();
    const db = walDb(dir);
    const main = readFileSync(db);
    const wal = readFileSync(`${db}-wal`);
    const full = scanWal(wal);
    const pageSize = full.pageSize;
    const frame = 24 + pageSize;
    // Cut the log inside its last frame: the last commit is lost, the earlier ones stay.
    const cut = scanWal(wal.subarray(0, wal.length - 10));
    assert.ok(cut.committedFrames < full.committedFrames && cut.committedFrames > 0);
    // A flipped bit in the first frame's page ends the log there: nothing is committed.
    const flipped = Buffer.from(wal);
    flipped[32 + 24 + 100] = (flipped[32 + 24 + 100] ?? 0) ^ 1;
    assert.equal(scanWal(flipped).committedFrames, 0);
    // A header checksum that does not match makes the whole log void, as SQLite treats it.
    const badHeader = Buffer.from(wal);
    badHeader[16] = (badHeader[16] ?? 0) ^ 0xff;
    assert.equal(scanWal(badHeader).validFrames, 0);
    assert.equal(applyWal(main, badHeader).bytes, main);
    assert.equal(scanWal(new Uint8Array(0)).validFrames, 0);
    assert.ok(full.validFrames * frame + 32 <= wal.length);
  });

  it('a -wal whose page size differs from the database is refused as Integrity, with what to do', () => {
    const dir = tempDir();
    const db = walDb(dir);
    const main = Buffer.from(readFileSync(db));
    main[16] = 0x20; // 8192
    main[17] = 0x00;
    assert.throws(() => applyWal(main, readFileSync(`${db}-wal`), 'w.db'), (e) => isStorageError(e) && e.code === 'Integrity' && /sqlite3 CLI/.test(e.message));
  });
});
