import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isSqlSaveConflict } from '../../../src/core/sql/saveConflict';
import { recordFault } from '../../support/faultLedger';
import { SQLITE3, cli, features, openSession, tempDir, walDb } from './support';

const conflict = (reason: string) => (e: unknown): boolean => isSqlSaveConflict(e) && e.code === 'Conflict' && e.detail.reason === reason && e.detail.offers.join() === 'saveAsCopy,reload';

/** The bytes of every file of the database (main, -wal, -journal), to prove nothing was touched. */
function snapshot(db: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const suffix of ['', '-wal', '-journal']) if (existsSync(db + suffix)) out[suffix || 'main'] = readFileSync(db + suffix).toString('hex');
  return out;
}

describe('the SQLite save is conditional on the file it read', () => {
  it('an UPDATE made by sqlite3 between open and save is a Conflict; their row stays and nothing is written', async () => {
    const db = features(tempDir());
    const s = await openSession(db);
    try {
      await s.call('update', { table: 'authors', key: [1], values: { bio: 'mine' } });
      cli(db, "UPDATE authors SET bio = 'theirs' WHERE id = 2");
      const before = snapshot(db);
      await assert.rejects(s.save(), conflict('changed'));
      const bytesLost = JSON.stringify(snapshot(db)) === JSON.stringify(before) ? 0 : readFileSync(db).length;
      recordFault({ suite: 'sql.save', fault: 'other-writer', operations: 1, bytesLost });
      assert.equal(bytesLost, 0);
      assert.equal(cli(db, 'SELECT bio FROM authors WHERE id = 2'), 'theirs');
      assert.equal(s.dirty, true, 'the edit is still pending, for Save As Copy');
      // Save As Copy keeps the edit in a new file and never overwrites one.
      const copy = join(db, '..', 'copy.db');
      await s.saveCopy(copy);
      assert.equal(cli(copy, 'SELECT bio FROM authors WHERE id = 1'), 'mine');
      assert.equal(cli(copy, 'PRAGMA integrity_check'), 'ok');
      await assert.rejects(s.saveCopy(copy), /already exists/);
      // Reload shows their change; a save after it works.
      await s.discard();
      assert.deepEqual((await s.call('run', { script: 'SELECT bio FROM authors WHERE id = 2' }))[0]?.rows, [['theirs']]);
      await s.call('update', { table: 'authors', key: [1], values: { bio: 'mine again' } });
      assert.equal((await s.save()).written, true);
      assert.equal(cli(db, "SELECT group_concat(bio, '|') FROM authors WHERE id IN (1, 2) ORDER BY id"), 'mine again|theirs');
    } finally {
      await s.close();
    }
  });

  it('a file replaced by another (new inode) is a Conflict too', async () => {
    const dir = tempDir();
    const db = features(dir);
    const s = await openSession(db);
    try {
      await s.call('update', { table: 'authors', key: [1], values: { bio: 'mine' } });
      copyFileSync(db, join(dir, 'other.db'));
      execFileSync('mv', [join(dir, 'other.db'), db]);
      await assert.rejects(s.save(), conflict('replaced'));
    } finally {
      await s.close();
    }
  });

  it('a save with no pending change writes nothing (same inode, same time)', async () => {
    const db = features(tempDir());
    const before = statSync(db);
    const s = await openSession(db);
    try {
      assert.deepEqual(await s.save(), { written: false, bytes: 0 });
      const after = statSync(db);
      assert.deepEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs]);
    } finally {
      await s.close();
    }
  });

  it('a -wal with committed frames beside the file: the open shows them, the save is refused and both files stay as they were', async () => {
    const dir = tempDir();
    const db = walDb(dir);
    const s = await openSession(db);
    try {
      await s.call('update', { table: 't', key: [1], values: { v: 'mine' } });
      const before = snapshot(db);
      await assert.rejects(s.save(), conflict('wal'));
      const bytesLost = JSON.stringify(snapshot(db)) === JSON.stringify(before) ? 0 : 1;
      recordFault({ suite: 'sql.save', fault: 'live-wal', operations: 1, bytesLost });
      assert.equal(bytesLost, 0);
      // Once the other side checkpoints, a reload and save keep the file in WAL mode, and sqlite3 sees the edit.
      cli(db, 'PRAGMA wal_checkpoint(TRUNCATE)');
      await s.discard();
      await s.call('update', { table: 't', key: [1], values: { v: 'mine' } });
      assert.equal((await s.save()).written, true);
      assert.equal(cli(db, "SELECT v FROM t WHERE id = 1"), 'mine');
      assert.equal(cli(db, "SELECT v FROM t WHERE id = 2"), 'TWO');
      assert.equal(cli(db, 'PRAGMA journal_mode'), 'wal');
      assert.equal(cli(db, 'PRAGMA integrity_check'), 'ok');
    } finally {
      await s.close();
    }
  });

  it('a hot -journal beside the file: the open is read-only with the reason, and a save is refused', async () => {
    const dir = tempDir();
    const db = features(dir);
    // A hot journal: a rollback journal with its header, as a writer killed mid-transaction leaves it.
    const journal = Buffer.alloc(512);
    Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]).copy(journal);
    const s = await openSession(db);
    try {
      await s.call('update', { table: 'authors', key: [1], values: { bio: 'mine' } });
      writeFileSync(`${db}-journal`, journal);
      const before = snapshot(db);
      await assert.rejects(s.save(), conflict('journal'));
      assert.deepEqual(snapshot(db), before);
    } finally {
      await s.close();
    }
    const again = await openSession(db);
    try {
      assert.match(again.readOnlyReason ?? '', /hot journal/);
    } finally {
      await again.close();
    }
  });

  it('a WAL database another program holds open (idle, its log checkpointed) is not replaced under it', async () => {
    const dir = tempDir();
    const db = join(dir, 'live.db');
    execFileSync(SQLITE3, [db, 'PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, \'one\');'], { stdio: 'pipe' });
    const s = await openSession(db);
    // The other program: a sqlite3 shell that has read the database and now waits for input.
    const other = spawn(SQLITE3, [db], { stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((resolve) => {
        other.stdout.once('data', () => resolve());
        other.stdin.write('SELECT count(*) FROM t;\n');
      });
      await s.call('update', { table: 't', key: [1], values: { v: 'mine' } });
      const before = snapshot(db);
      await assert.rejects(s.save(), (e) => conflict('inUse')(e) && new RegExp(`process ${other.pid}`).test((e as Error).message));
      assert.deepEqual(snapshot(db), before);
      other.stdin.end();
      await new Promise((r) => other.once('exit', r));
      assert.equal((await s.save()).written, true, 'once it is closed, the save goes through');
      assert.equal(cli(db, 'SELECT v FROM t WHERE id = 1'), 'mine');
    } finally {
      other.kill();
      await s.close();
    }
  });

  it('keeps a 0600 mode and a symlink; the link target gets the save', async () => {
    const dir = tempDir();
    const real = features(dir);
    chmodSync(real, 0o600);
    const link = join(dir, 'link.db');
    symlinkSync('features.db', link);
    const s = await openSession(link);
    try {
      await s.call('update', { table: 'authors', key: [1], values: { bio: 'through the link' } });
      await s.save();
    } finally {
      await s.close();
    }
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(statSync(real).mode & 0o777, 0o600);
    assert.equal(execFileSync(SQLITE3, [real, 'SELECT bio FROM authors WHERE id = 1'], { encoding: 'utf8' }).trim(), 'through the link');
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });
});
