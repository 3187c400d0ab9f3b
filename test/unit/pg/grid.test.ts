import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { applyChanges, editStatements, previewSql } from '../../../src/core/pg/edits';
import type { PgSession } from '../../../src/core/pg/session';
import { TableGrid } from '../../../src/core/pg/tableGrid';
import { CELL_PREVIEW_CHARS } from '../../../src/core/pg/gridTypes';
import { openSession, pgSkip, psql, psqlRows } from '../../support/pgServer';

const ODD = '"; DROP TABLE x; --';
const ODD_COL = 'it\'s a "quoted" col';

describe('PostgreSQL rows grid against psql', { skip: pgSkip }, () => {
  let s: PgSession;
  before(async () => { s = await openSession(); });
  after(() => s?.close());

  it('pages of pgbench_accounts at rows 0, 500,000 and 999,900 match psql for the same order', async () => {
    const g = await TableGrid.open(s, 'public', 'pgbench_accounts');
    assert.equal(g.paging, 'keyset');
    assert.deepEqual(g.keyColumns, ['aid']);
    for (const offset of [0, 500_000, 999_900]) {
      const page = await g.page({ offset, limit: 100 });
      const want = psqlRows(`SELECT aid, bid, abalance, filler FROM pgbench_accounts ORDER BY aid OFFSET ${offset} LIMIT 100`);
      assert.deepEqual(page.rows.map((r) => r.cells.map((c) => (typeof c === 'string' ? c.replace(/\s+$/, '') : c))), want.map((r) => r.map((c) => c.replace(/\s+$/, ''))), `offset ${offset}`);
      const next = await g.page({ offset: offset + 100, limit: 5 });
      assert.equal(next.rows[0]?.key[0], offset + 100 < 1_000_000 ? String(Number(want[99]![0]) + 1) : undefined, 'the next page continues by key');
    }
  });

  it('sorts and filters on the server, as psql does', async () => {
    const g = await TableGrid.open(s, 'public', 'pgbench_accounts');
    const req = { sort: [{ column: 'bid', descending: true }], filters: [{ column: 'aid', op: '<=' as const, value: '300000' }] };
    for (const offset of [0, 150_000, 299_990]) {
      const page = await g.page({ offset, limit: 10, ...req });
      const want = psqlRows(`SELECT aid FROM pgbench_accounts WHERE aid <= 300000 ORDER BY bid DESC, aid OFFSET ${offset} LIMIT 10`).map((r) => r[0]);
      assert.deepEqual(page.rows.map((r) => r.key[0]), want, `sorted page at ${offset}`);
    }
    assert.equal(await g.count({ filters: req.filters }), 300_000);
    const c = await g.page({ offset: 0, limit: 5, filters: [{ column: 'filler', op: 'contains', value: '%' }] });
    assert.equal(c.rows.length, 0, 'LIKE wildcards in a filter value are literal');
  });

  it('a table without a primary key pages with a server-side cursor and says so', async () => {
    const g = await TableGrid.open(s, 'shop', 'log_lines');
    assert.equal(g.paging, 'cursor');
    const p = await g.page({ offset: 990, limit: 20, sort: [{ column: 'line' }] });
    assert.equal(p.paging, 'cursor');
    const want = psqlRows(`SELECT line FROM shop.log_lines ORDER BY line OFFSET 990 LIMIT 20`).map((r) => r[0]);
    assert.deepEqual(p.rows.map((r) => r.cells[1]), want);
    // Rows without a key are named by ctid, and the version check still guards them.
    const [row] = (await g.page({ offset: 0, limit: 1, filters: [{ column: 'line', op: '=', value: 'line 7' }] })).rows;
    await applyChanges(s, g, [{ op: 'update', key: row!.key, version: row!.version, values: { line: 'line 7 (edited)' } }]);
    await assert.rejects(applyChanges(s, g, [{ op: 'delete', key: row!.key, version: row!.version }]), (e) => isStorageError(e) && e.code === 'Conflict');
    assert.equal(psql(`SELECT count(*) FROM shop.log_lines WHERE line = 'line 7 (edited)'`).trim(), '1');
    psql(`UPDATE shop.log_lines SET line = 'line 7' WHERE line = 'line 7 (edited)'`);
    await g.close();
  });

  it('an edit is seen by psql; one that races a psql UPDATE is a Conflict and psql\'s value survives', async () => {
    psql(`UPDATE shop.customers SET name = CASE id WHEN 1 THEN 'Ada' ELSE 'Grace' END WHERE id IN (1, 2)`); // a rerun starts the same
    const g = await TableGrid.open(s, 'shop', 'customers');
    const [ada, grace] = (await g.page({ offset: 0, limit: 2 })).rows;
    const nameIdx = g.columns.findIndex((c) => c.name === 'name');
    const changes = [{ op: 'update' as const, key: ada!.key, version: ada!.version, values: { name: 'Ada L.' } }];
    assert.match(previewSql(editStatements(g, changes)), /^BEGIN;\nUPDATE "shop"\."customers" SET "name" = 'Ada L\.'::text WHERE "id" = '1'::bigint AND xmin::text = '\d+';\nCOMMIT;$/);
    await applyChanges(s, g, changes);
    assert.equal(psql(`SELECT name FROM shop.customers WHERE id = 1`).trim(), 'Ada L.');
    psql(`UPDATE shop.customers SET name = 'Grace (psql)' WHERE id = 2`);
    await assert.rejects(applyChanges(s, g, [
      { op: 'insert', values: { email: 'new@example.com', name: 'New' } },
      { op: 'update', key: grace!.key, version: grace!.version, values: { name: 'Grace (grid)' } }]),
    (e) => isStorageError(e) && e.code === 'Conflict' && /changed or deleted by someone else/.test(e.message));
    assert.equal(psql(`SELECT name FROM shop.customers WHERE id = 2`).trim(), 'Grace (psql)');
    assert.equal(psql(`SELECT count(*) FROM shop.customers WHERE email = 'new@example.com'`).trim(), '0', 'the batch was rolled back whole');
    assert.equal(grace!.cells[nameIdx], 'Grace');
  });

  it('odd names with quotes, spaces and "; DROP TABLE x; --" are read and edited as names', async () => {
    psql(`UPDATE "odd schema"."""; DROP TABLE x; --" SET "with space" = 'two' WHERE "with space" <> 'one'`);
    const g = await TableGrid.open(s, 'odd schema', ODD);
    const [row] = (await g.page({ offset: 0, limit: 1, sort: [{ column: 'with space', descending: true }] })).rows;
    assert.deepEqual(row?.cells, ['2', 'two']);
    await applyChanges(s, g, [{ op: 'update', key: row!.key, version: row!.version, values: { 'with space': "it's \"two\"" } }]);
    assert.equal(psql(`SELECT "with space" FROM "odd schema"."""; DROP TABLE x; --" WHERE "${ODD_COL.replace(/"/g, '""')}" = 2`).trim(), 'it\'s "two"');
    assert.equal(psql(`SELECT count(*) FROM "odd schema".x`).trim(), '0', 'table x is still there');
  });

  it('a huge jsonb cell is truncated in the grid, and the whole value matches psql', async () => {
    const g = await TableGrid.open(s, 'shop', 'documents');
    const rss = process.memoryUsage().rss;
    const [big, small] = (await g.page({ offset: 0, limit: 10 })).rows;
    const cell = big!.cells[1];
    assert.ok(cell !== null && typeof cell === 'object' && cell.truncated && cell.preview.length === CELL_PREVIEW_CHARS, 'truncated');
    assert.ok(process.memoryUsage().rss - rss < 16 * 1024 * 1024, 'the page did not pull the whole value');
    assert.equal(small!.cells[1], '{"small": true}');
    const full = await g.cell(big!.key, 'doc');
    assert.equal(Buffer.byteLength(full ?? ''), Number(psql(`SELECT octet_length(doc::text) FROM shop.documents WHERE id = 1`).trim()));
  });

  it('views are read-only in the grid', async () => {
    const g = await TableGrid.open(s, 'shop', 'paid_orders');
    assert.equal(g.editable, false);
    assert.throws(() => editStatements(g, [{ op: 'insert', values: {} }]), (e) => isStorageError(e) && e.code === 'BadInput');
  });
});
