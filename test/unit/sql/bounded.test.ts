import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RESULT_BUDGET_BYTES } from '../../../src/core/sql/bounded';
import { BLOB_PREVIEW_BYTES, TEXT_PREVIEW_CHARS } from '../../../src/core/sql/cells';
import { SHOW_ALL_CHARS } from '../../../src/core/sql/rows';
import { buildDb, openSession, tempDir } from './support';

const MB = 1e6;

describe('query results and "show all" are bounded in bytes', () => {
  it('SELECT t||t||t||t over two 50 MB cells hands back previews with the full length, not 400 MB', async () => {
    const dir = tempDir();
    // 50 MB of 'x' per row, made by sqlite3 itself so the fixture costs no JS memory.
    const db = buildDb(join(dir, 'big.db'), "CREATE TABLE big(id INTEGER PRIMARY KEY, t TEXT, b BLOB); INSERT INTO big SELECT value, replace(hex(zeroblob(25000000)), '0', 'x'), zeroblob(1000000) FROM generate_series(1, 2);");
    const s = await openSession(db);
    try {
      const t0 = performance.now();
      const [r] = await s.call('run', { script: 'SELECT t||t||t||t AS four, b FROM big' });
      const ms = performance.now() - t0;
      const wire = JSON.stringify(r).length;
      assert.ok(wire < 16_000, `the result is ${wire} bytes of JSON`);
      assert.deepEqual(r?.rows[0]?.[0], { t: 'text', v: 'x'.repeat(TEXT_PREVIEW_CHARS), length: 200 * MB });
      assert.deepEqual(r?.rows[1]?.[1], { t: 'blob', size: 1 * MB, hex: '00'.repeat(BLOB_PREVIEW_BYTES) });
      console.log(`# 2 x 200 MB cells: ${ms.toFixed(0)} ms, ${wire} bytes to the webview`);
      // Statements SQLite cannot wrap (PRAGMA, RETURNING) are cut after reading, the same way.
      const [p] = await s.call('run', { script: "SELECT 1; INSERT INTO big(id, t) VALUES (3, printf('%.9000c', 'y')) RETURNING t" });
      assert.equal(p?.rows.length, 1);
      const [ret] = await s.call('run', { script: "UPDATE big SET t = t || 'z' WHERE id = 3 RETURNING t, id" });
      assert.deepEqual(ret?.rows[0], [{ t: 'text', v: 'y'.repeat(TEXT_PREVIEW_CHARS), length: 9001 }, 3]);
      // Show all: bounded too, with the full length; the whole value only as bytes, on request.
      const cell = await s.call('cell', { table: 'big', key: [1], column: 't' });
      assert.deepEqual(cell, { t: 'text', v: 'x'.repeat(SHOW_ALL_CHARS), length: 50 * MB });
      const blob = await s.call('cell', { table: 'big', key: [1], column: 'b' });
      assert.ok(typeof blob === 'object' && blob !== null && blob.t === 'blob' && blob.size === MB && blob.hex.length === SHOW_ALL_CHARS);
      const whole = await s.call('cellValue', { table: 'big', key: [2], column: 't' });
      assert.equal(whole.kind, 'text');
      assert.equal(whole.bytes.length, 50 * MB);
    } finally {
      await s.close();
    }
  });

  it('a wide result stops at the byte budget and says it was truncated', async () => {
    const db = buildDb(join(tempDir(), 'wide.db'), "CREATE TABLE w(a, b, c, d); INSERT INTO w SELECT printf('%.499c','a'), printf('%.499c','b'), printf('%.499c','c'), printf('%.499c','d') FROM generate_series(1, 10000);");
    const s = await openSession(db);
    try {
      const [r] = await s.call('run', { script: 'SELECT * FROM w', maxRows: 100_000 });
      assert.equal(r?.truncated, true);
      assert.ok(JSON.stringify(r).length < RESULT_BUDGET_BYTES * 1.1);
      assert.ok((r?.rows.length ?? 0) > 1000);
    } finally {
      await s.close();
    }
  });

  it('a user table named like nothing special is read, and ORDER BY is kept through the wrapper', async () => {
    const db = buildDb(join(tempDir(), 'o.db'), 'CREATE TABLE q(x); INSERT INTO q VALUES (3), (1), (2);');
    const s = await openSession(db);
    try {
      const [r] = await s.call('run', { script: 'WITH z AS (SELECT x FROM q) SELECT x, x FROM z ORDER BY x DESC;' });
      assert.deepEqual(r?.rows, [[3, 3], [2, 2], [1, 1]]);
      assert.deepEqual(r?.columns, ['x', 'x']);
    } finally {
      await s.close();
    }
  });
});
