import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { checkHeader } from '../../../src/core/sql/header';
import { checkSize } from '../../../src/core/sql/limits';
import { features, openSession, tempDir } from './support';

const code = (c: string, re: RegExp) => (e: unknown) => isStorageError(e) && e.code === c && re.test(e.message);

describe('bad input gets a clear error', () => {
  const dir = tempDir();
  const db = features(dir);
  const good = readFileSync(db);

  it('a truncated database', async () => {
    const f = join(dir, 'truncated.db');
    writeFileSync(f, good.subarray(0, good.length - 4096 - 100));
    await assert.rejects(openSession(f), code('Integrity', /truncated or damaged: it has \d+ bytes, but its header says/));
    assert.throws(() => checkHeader(good.subarray(0, 50), 'x.db'), code('Integrity', /less than the 100-byte SQLite header/));
  });

  it('random bytes named .db', async () => {
    const f = join(dir, 'random.db');
    writeFileSync(f, randomBytes(8192));
    await assert.rejects(openSession(f), code('BadInput', /random\.db is not a SQLite database.*look random/));
  });

  it('a text file, an empty file, gzip and age files', () => {
    assert.throws(() => checkHeader(Buffer.from('id,name\n1,a\n'.repeat(30)), 'a.db'), code('BadInput', /does not start with the "SQLite format 3" header/));
    assert.throws(() => checkHeader(new Uint8Array(0), 'e.db'), code('BadInput', /is empty/));
    const gz = execFileSync('/usr/bin/gzip', ['-c', db]);
    assert.throws(() => checkHeader(gz, 'f.db.gz'), code('BadInput', /gzip-compressed/));
    const recipient = keygen();
    const aged = execFileSync('/usr/bin/age', ['-r', recipient], { input: good });
    assert.throws(() => checkHeader(aged, 'f.db.age'), code('BadInput', /age-encrypted/));
  });

  it('a damaged page behind a good header', async () => {
    const f = join(dir, 'damaged.db');
    const bad = Buffer.from(good);
    bad.fill(0xa5, 100, 4096); // the schema page's b-tree header
    writeFileSync(f, bad);
    await assert.rejects(openSession(f), code('Integrity', /schema cannot be read/));
  });

  it('a SQL syntax error names the statement and position', async () => {
    const s = await openSession(db);
    try {
      await assert.rejects(s.call('run', { script: 'SELECT 1;\n\nSELECT *\n  FROM books WHRE id = 1;' }), (e: unknown) => {
        assert.ok(isStorageError(e));
        assert.match(e.message, /Statement 2 failed at line 4, column 19: near "id": syntax error/);
        assert.deepEqual((e as unknown as { detail: { line: number; column: number } }).detail.line, 4);
        return true;
      });
    } finally {
      await s.close();
    }
  });

  it('a query that runs forever is cancelled by ending the worker; unsaved changes survive it', async () => {
    const s = await openSession(db);
    try {
      await s.call('update', { table: 'authors', key: [1], values: { bio: 'changed' } });
      const forever = s.call('run', { script: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c' });
      const rejected = assert.rejects(forever, code('Cancelled', /cancelled/));
      await new Promise((r) => setTimeout(r, 200));
      const t0 = performance.now();
      const outcome = await s.cancel();
      await rejected;
      assert.deepEqual(outcome, { replayed: 1, lostChanges: false });
      assert.ok(performance.now() - t0 < 5000);
      const rows = await s.call('run', { script: 'SELECT bio FROM authors WHERE id = 1' });
      assert.deepEqual(rows[0]?.rows, [['changed']], 'reloaded, and the edit ran again');
      assert.equal(s.dirty, true);
    } finally {
      await s.close();
    }
  });

  it('a table named `"; DROP TABLE x; --` is paged, edited and dropped from as data', async () => {
    const s = await openSession(db);
    try {
      const name = '; DROP TABLE x; --';
      const c = await s.call('openCursor', { table: name, sort: { column: 'a"b', desc: false }, filters: [{ column: 'select', op: '=', value: 1 }] });
      const page = await s.call('page', { cursor: c.cursor, offset: 0, limit: 10 });
      assert.deepEqual(page.rows.map((r) => r.cells), [['quoted', 1]]);
      await s.call('createIndex', { name: 'i"; DROP TABLE books; --', table: name, columns: [{ name: 'a"b' }] });
      const schema = await s.call('schema', {});
      assert.ok(schema.tables.some((t) => t.name === 'books'));
      assert.ok(schema.indexes.some((i) => i.name === 'i"; DROP TABLE books; --'));
    } finally {
      await s.close();
    }
  });

  it('size limits: ask above the setting, refuse what cannot fit with figures', () => {
    assert.equal(checkSize(10e6, { askAboveBytes: 200e6 }), 'ok');
    assert.equal(checkSize(300e6, { askAboveBytes: 200e6 }), 'ask');
    assert.throws(() => checkSize(5e9, { askAboveBytes: 200e6, maxBytes: 4e9 }, 'huge.db'), code('TooLarge', /huge\.db is 5000 MB, but at most 4000 MB fits in memory/));
  });
});

/** A fresh recipient; its identity stays inside this function and is never printed. */
function keygen(): string {
  const identity = execFileSync('/usr/bin/age-keygen', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-')) ?? '';
  return execFileSync('/usr/bin/age-keygen', ['-y'], { input: identity, encoding: 'utf8' }).trim();
}
