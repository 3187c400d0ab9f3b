import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { buildDb, cli, openSession, tempDir } from './support';

const DDL = `CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, u TEXT UNIQUE ON CONFLICT IGNORE);
  INSERT INTO t VALUES (1, 'one', 'a'), (2, 'locked', 'b');
  CREATE TRIGGER keep_locked BEFORE UPDATE ON t WHEN old.v = 'locked' BEGIN SELECT RAISE(IGNORE); END;
  CREATE TRIGGER keep_delete BEFORE DELETE ON t WHEN old.v = 'locked' BEGIN SELECT RAISE(IGNORE); END;
  CREATE TRIGGER no_bad BEFORE INSERT ON t WHEN new.v = 'bad' BEGIN SELECT RAISE(IGNORE); END;`;

describe('messages say what really happened', () => {
  it('an edit a trigger ignored says so (not "row no longer exists"), naming the triggers', async () => {
    const s = await openSession(buildDb(join(tempDir(), 'trig.db'), DDL));
    try {
      const ignored = (what: RegExp) => (e: unknown): boolean =>
        isStorageError(e) && e.code === 'BadInput' && what.test(e.message) && /keep_locked|keep_delete|no_bad/.test(e.message) && !/no longer exists/.test(e.message);
      await assert.rejects(s.call('update', { table: 't', key: [2], values: { v: 'free' } }), ignored(/was not changed.*RAISE\(IGNORE\)/s));
      await assert.rejects(s.call('delete', { table: 't', key: [2] }), ignored(/was not deleted/));
      await assert.rejects(s.call('insert', { table: 't', values: { v: 'bad' } }), ignored(/was not inserted/));
      // ON CONFLICT IGNORE on a UNIQUE column skips the insert silently in SQLite; we say it.
      await assert.rejects(s.call('insert', { table: 't', values: { v: 'dup', u: 'a' } }), (e) => isStorageError(e) && /ON CONFLICT IGNORE/.test(e.message));
      // A row that is really gone still says so.
      await assert.rejects(s.call('update', { table: 't', key: [99], values: { v: 'x' } }), /no longer exists/);
    } finally {
      await s.close();
    }
  });

  it('a corrupt b-tree page is Integrity, in the grid and in a query', async () => {
    const dir = tempDir();
    const db = buildDb(join(dir, 'bad.db'), "CREATE TABLE big(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO big SELECT value, printf('%.200c', 'v') FROM generate_series(1, 2000);");
    // Page 3 and on are the table's b-tree pages: overwrite one with garbage, keep the header and schema.
    const bytes = readFileSync(db);
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0xa5, pageSize * 4, pageSize * 5);
    writeFileSync(db, bytes);
    let verdict: string;
    try {
      verdict = cli(db, 'PRAGMA integrity_check');
    } catch (e) {
      verdict = String((e as Error).message);
    }
    assert.match(verdict, /malformed|corrupt|wrong # of entries|Page \d+/, 'the oracle sees the damage');
    const s = await openSession(db);
    try {
      const damaged = (e: unknown): boolean => isStorageError(e) && e.code === 'Integrity' && /damaged/.test(e.message) && /integrity_check/.test(e.message);
      await assert.rejects(s.call('run', { script: 'SELECT count(*), sum(length(v)) FROM big' }), damaged);
      await assert.rejects((async () => {
        const c = await s.call('openCursor', { table: 'big' });
        for (let off = 0; off < c.total; off += 500) await s.call('page', { cursor: c.cursor, offset: off, limit: 500 });
      })(), damaged);
    } finally {
      await s.close();
    }
  });
});
