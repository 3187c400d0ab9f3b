import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { engineFor } from './engine';
import { buildDb, cliJson, tempDir } from './support';

const N = 1_000_000;

describe('keyset paging over 1M rows', () => {
  let db = '';
  let call: Awaited<ReturnType<typeof engineFor>>['call'];
  before(async () => {
    db = buildDb(join(tempDir(), 'big.db'), `
      CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, grp INTEGER);
      WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${N})
      INSERT INTO t SELECT x, 'n' || (x * 7919 % 1000003), CASE WHEN x % 10 = 0 THEN NULL ELSE x % 97 END FROM c;
      CREATE INDEX t_grp ON t(grp);`);
    ({ call } = await engineFor(db));
  });

  const ids = (cursor: number, offset: number, limit = 100) => call('page', { cursor, offset, limit }).rows.map((r) => r.key[0]);
  const cliIds = (order: string, offset: number, where = '1') => cliJson(db, `SELECT id FROM t WHERE ${where} ORDER BY ${order} LIMIT 100 OFFSET ${offset}`).map((r) => r.id);

  it('returns the right rows at the start, middle and end in rowid order', () => {
    const c = call('openCursor', { table: 't' });
    assert.equal(c.total, N);
    for (const offset of [0, 500_000, 999_900]) assert.deepEqual(ids(c.cursor, offset), cliIds('id', offset), `offset ${offset}`);
    assert.equal(ids(c.cursor, N - 10).length, 10);
  });

  it('sorts by another column with NULLs and ties, both directions, via (col, rowid)', () => {
    for (const desc of [false, true]) {
      const c = call('openCursor', { table: 't', sort: { column: 'grp', desc } });
      const order = desc ? 'grp DESC, id DESC' : 'grp, id';
      for (const offset of [0, 99_950, 500_000, 999_900]) assert.deepEqual(ids(c.cursor, offset), cliIds(order, offset), `desc=${desc} offset ${offset}`);
    }
  });

  it('filters by column', () => {
    const c = call('openCursor', { table: 't', filters: [{ column: 'grp', op: 'null' }] });
    assert.equal(c.total, N / 10);
    assert.deepEqual(ids(c.cursor, 50_000), cliIds('id', 50_000, 'grp IS NULL'));
    const like = call('openCursor', { table: 't', filters: [{ column: 'name', op: 'contains', value: '77_' }] });
    assert.equal(like.total, 0, 'an underscore in a filter is literal, not a wildcard');
  });
});

describe('keyset paging equals OFFSET paging on random data (property)', () => {
  it('holds for any sort column, direction and page offset', async () => {
    const dir = tempDir();
    const db = buildDb(join(dir, 'p.db'), `
      CREATE TABLE p(a INTEGER, b TEXT COLLATE NOCASE, c REAL);
      WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 3000)
      INSERT INTO p SELECT CASE WHEN x % 7 = 0 THEN NULL ELSE x % 13 END, CASE WHEN x % 5 = 0 THEN NULL WHEN x % 3 = 0 THEN 'B' || (x % 4) ELSE 'b' || (x % 4) END, x % 11 * 0.5 FROM r;`);
    const { call } = await engineFor(db);
    const cursors = new Map<string, number>();
    await fc.assert(
      fc.property(fc.constantFrom('a', 'b', 'c'), fc.boolean(), fc.integer({ min: 0, max: 3050 }), (column, desc, offset) => {
        const k = `${column}${desc}`;
        let cursor = cursors.get(k);
        if (cursor === undefined) {
          cursor = call('openCursor', { table: 'p', sort: { column, desc } }).cursor;
          cursors.set(k, cursor);
        }
        const got = call('page', { cursor, offset, limit: 37 }).rows.map((r) => r.key[0]);
        const want = cliJson(db, `SELECT rowid FROM p ORDER BY ${column} ${desc ? 'DESC' : ''}, rowid ${desc ? 'DESC' : ''} LIMIT 37 OFFSET ${offset}`).map((r) => r.rowid);
        assert.deepEqual(got, want);
      }),
      { numRuns: process.env.SLOW ? 300 : 40 },
    );
  });
});
