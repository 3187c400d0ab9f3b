// A SQLite database open in the SQL view whose only change since the last backup is in its -wal:
// the main file keeps its size and mtime, so the backup must still take it from the SQL view's
// consistent copy, not from the parent snapshot.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { backup } from '../../../src/core/backup/backup';
import { PathLocks } from '../../../src/core/local/lock';
import { readDiskImage } from '../../../src/core/sql/diskImage';
import { consistentCopies } from '../../../src/vscode/backup/sqliteGuard';
import { SQLITE3 } from '../sql/support';
import { PASSWORD, passwordFile, restic, tempDir } from './helpers';


/** The Ctx the guard reads: these databases open in the SQL view, with a real per-file lock. */
function fakeCtx(paths: string[]) {
  const locks = new PathLocks();
  const dbs = paths.map((p) => ({ uri: { scheme: 'file', fsPath: p }, label: p.split('/').pop()!, session: { dirty: false } }));
  return {
    sql: { dbs: { all: () => dbs, whileNotSaving: <T>(p: string, w: () => Promise<T>) => locks.run(p, w) } },
    log: { info: () => undefined, warn: () => undefined },
  } as never;
}

/** Writes, leaving the -wal as it is on close (as a connection that stays open would). */
const sql = (db: string, ...statements: string[]) => execFileSync(SQLITE3, [db, '.dbconfig no_ckpt_on_close on', ...statements], { stdio: 'pipe' });
const query = (db: string, q: string) => execFileSync(SQLITE3, [db, q], { encoding: 'utf8' }).trim();

describe('backing up a database open in the SQL view', () => {
  it('takes a commit that is only in the -wal, though the main file matches the parent snapshot', async () => {
    const dir = tempDir('sqlite-source');
    const pw = passwordFile(dir);
    const folder = join(dir, 'data');
    mkdirSync(folder);
    const db = join(folder, 'orders.db');
    sql(db, 'PRAGMA journal_mode=WAL;', 'CREATE TABLE o(id INTEGER PRIMARY KEY, state TEXT);', "INSERT INTO o VALUES (1, 'new');", 'PRAGMA wal_checkpoint(TRUNCATE);');
    const url = join(dir, 'repo');
    await restic(pw, url, 'init', '--repository-version', '2');
    const repo = await Repository.open(new LocalBackend(url), PASSWORD);
    await backup(repo, { paths: [folder], source: consistentCopies(fakeCtx([db]), folder, readDiskImage)! });

    const mainBefore = statSync(db, { bigint: true });
    sql(db, "INSERT INTO o VALUES (2, 'paid');", "UPDATE o SET state = 'shipped' WHERE id = 1;");
    const mainAfter = statSync(db, { bigint: true });
    assert.equal(mainAfter.mtimeNs, mainBefore.mtimeNs, 'the commit left the main file as it was');
    assert.equal(mainAfter.size, mainBefore.size);

    const second = await backup(repo, { paths: [folder], source: consistentCopies(fakeCtx([db]), folder, readDiskImage)! });
    assert.deepEqual(second.warnings, []);
    const target = join(dir, 'restored');
    await restic(pw, url, 'restore', 'latest', '--target', target);
    const restored = join(target, folder, 'orders.db');
    // The main file on its own holds every commit (a copy without the -wal beside it) ...
    const alone = join(dir, 'alone.db');
    copyFileSync(restored, alone);
    assert.equal(query(alone, 'SELECT id, state FROM o ORDER BY id;'), '1|shipped\n2|paid');
    // ... and so do the two restored side by side.
    assert.equal(query(restored, 'SELECT id, state FROM o ORDER BY id;'), '1|shipped\n2|paid');
    assert.equal(query(restored, 'PRAGMA integrity_check;'), 'ok');
  });
});
