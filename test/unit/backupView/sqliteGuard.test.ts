// The backup's source for SQLite files open in the SQL view: the committed database, copied
// while the SQL view is not saving it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PathLocks } from '../../../src/core/local/lock';
import { readDiskImage } from '../../../src/core/sql/diskImage';
import { consistentCopies, unsavedDatabases } from '../../../src/vscode/backup/sqliteGuard';
import { SQLITE3, tempDir, walDb } from '../sql/support';

/** The Ctx the guard reads: these databases open in the SQL view, with a real per-file lock. */
function fakeCtx(paths: string[], locks = new PathLocks(), dirty = false) {
  const dbs = paths.map((p) => ({ uri: { scheme: 'file', fsPath: p }, label: p.split('/').pop()!, session: { dirty } }));
  const logged: string[] = [];
  const ctx = {
    sql: { dbs: { all: () => dbs, whileNotSaving: <T>(p: string, w: () => Promise<T>) => locks.run(p, w) } },
    log: { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m) },
  };
  return { ctx: ctx as never, logged };
}

/** What sqlite3 reads from these bytes, as a file on their own (no -wal beside them). */
function query(bytes: Uint8Array, dir: string, sql: string): string {
  const file = join(dir, `q-${Math.random().toString(16).slice(2)}.db`);
  writeFileSync(file, bytes);
  return execFileSync(SQLITE3, [file, sql], { encoding: 'utf8' }).trim();
}

describe('backup of databases open in the SQL view', () => {
  it('answers with the main file and its committed -wal frames, for those databases only', async () => {
    const dir = tempDir();
    const db = walDb(dir);
    const other = walDb(dir, 'elsewhere.db');
    const { ctx } = fakeCtx([db, `/not/under/${'x.db'}`]);
    const source = consistentCopies(ctx, dir, readDiskImage)!;
    assert.ok(source, 'a source for the folder with an open database');
    const copy = await source(db);
    assert.ok(copy);
    assert.equal(query(copy, dir, 'SELECT count(*) FROM t;'), '52');
    assert.equal(query(copy, dir, "SELECT v FROM t WHERE id = 2;"), 'TWO');
    assert.equal(query(copy, dir, 'PRAGMA integrity_check;'), 'ok');
    assert.equal(await source(other), undefined, 'a database not open in the SQL view is read as usual');
    assert.equal(consistentCopies(fakeCtx([]).ctx, dir, readDiskImage), undefined, 'no source when nothing is open');
    assert.equal(consistentCopies(ctx, join(dir, 'sub'), readDiskImage), undefined, 'nor for a folder without one');
  });

  for (const first of ['the database', 'its -wal'] as const) {
    it(`backs up the -wal as it was at the copy's read, asked for ${first} first, though another program checkpoints in between`, async () => {
      const dir = tempDir();
      const db = walDb(dir);
      const walAtCopy = readFileSync(`${db}-wal`);
      const source = consistentCopies(fakeCtx([db]).ctx, dir, readDiskImage)!;
      const one = await source(first === 'the database' ? db : `${db}-wal`);
      // Another writer: a checkpoint that restarts the log, then commits the copy has never seen.
      execFileSync(SQLITE3, [db, '.dbconfig no_ckpt_on_close on', "INSERT INTO t VALUES (100, 'later');", 'PRAGMA wal_checkpoint(TRUNCATE);', "INSERT INTO t VALUES (101, 'later still');"], { stdio: 'pipe' });
      assert.ok(!readFileSync(`${db}-wal`).equals(walAtCopy), 'the -wal on disk changed');
      const two = await source(first === 'the database' ? `${db}-wal` : db);
      const [main, wal] = first === 'the database' ? [one!, two!] : [two!, one!];
      assert.ok(Buffer.from(wal).equals(walAtCopy), 'the -wal of the copy');
      // Restored side by side, the two are the database as it was at the copy.
      const restored = join(dir, 'restored');
      mkdirSync(restored);
      writeFileSync(join(restored, 'w.db'), main);
      writeFileSync(join(restored, 'w.db-wal'), wal);
      const sql = (q: string) => execFileSync(SQLITE3, [join(restored, 'w.db'), q], { encoding: 'utf8' }).trim();
      assert.equal(sql('SELECT count(*) FROM t;'), '52');
      assert.equal(sql('PRAGMA integrity_check;'), 'ok');
    });
  }

  it('waits for a save in progress and copies what it wrote', async () => {
    const dir = tempDir();
    const db = join(dir, 'orders.db');
    execFileSync(SQLITE3, [db, "CREATE TABLE o(id INTEGER PRIMARY KEY, state TEXT); INSERT INTO o VALUES (1, 'new');"]);
    const locks = new PathLocks();
    const source = consistentCopies(fakeCtx([db], locks).ctx, dir, readDiskImage)!;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // A save as the SQL view makes one: under the file's lock, a whole new file renamed over it.
    const saving = locks.run(db, async () => {
      await gate;
      const next = join(dir, 'orders.next');
      execFileSync(SQLITE3, [next, "CREATE TABLE o(id INTEGER PRIMARY KEY, state TEXT); INSERT INTO o VALUES (1, 'shipped');"]);
      renameSync(next, db);
    });
    const copying = source(db);
    release();
    await saving;
    assert.equal(query((await copying)!, dir, 'SELECT state FROM o;'), 'shipped');
  });

  it('names the open databases with unsaved edits (the backup asks about those)', () => {
    const dir = tempDir();
    assert.deepEqual(unsavedDatabases(fakeCtx([join(dir, 'a.db'), '/elsewhere/b.db'], new PathLocks(), true).ctx, dir), [join(dir, 'a.db')]);
    assert.deepEqual(unsavedDatabases(fakeCtx([join(dir, 'a.db')]).ctx, dir), []);
  });
});
