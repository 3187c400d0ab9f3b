import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fromWire, toCell, TEXT_PREVIEW_CHARS } from '../../../src/core/sql/cells';
import { engineFor } from './engine';
import { buildDb, features, tempDir } from './support';

describe('grid cells', () => {
  it('keep NULL distinct from the empty string', async () => {
    const { call } = await engineFor(features(tempDir()));
    const c = call('openCursor', { table: 'authors' });
    const rows = call('page', { cursor: c.cursor, offset: 0, limit: 10 }).rows;
    const col = (n: string) => c.columns.findIndex((x) => x.name === n);
    assert.equal(rows[1]?.cells[col('email')], null, "Grace's email is NULL");
    assert.equal(rows[2]?.cells[col('name')], '', 'the third name is an empty string');
    assert.equal(rows[2]?.cells[col('born')], null);
  });

  it('show BLOBs as size plus a hex preview, and long text truncated with the full value on request', async () => {
    const dir = tempDir();
    const db = buildDb(join(dir, 'c.db'), `CREATE TABLE c(id INTEGER PRIMARY KEY, b BLOB, t TEXT, big INTEGER);
      INSERT INTO c VALUES (1, x'00ff10', printf('%.${TEXT_PREVIEW_CHARS + 100}c', 'x'), 9007199254740993), (2, zeroblob(70000), 'short', -1);`);
    const { call } = await engineFor(db);
    const c = call('openCursor', { table: 'c' });
    const [r1, r2] = call('page', { cursor: c.cursor, offset: 0, limit: 10 }).rows;
    assert.deepEqual(r1?.cells[1], { t: 'blob', size: 3, hex: '00ff10' });
    assert.deepEqual(r1?.cells[2], { t: 'text', v: 'x'.repeat(TEXT_PREVIEW_CHARS), length: TEXT_PREVIEW_CHARS + 100 });
    assert.deepEqual(r1?.cells[3], { t: 'int', v: '9007199254740993' }, 'integers beyond 2^53 stay exact');
    assert.deepEqual(r2?.cells[1], { t: 'blob', size: 70000, hex: '00'.repeat(32) });
    assert.equal(r2?.cells[2], 'short');
    const full = call('cell', { table: 'c', key: r1!.key, column: 't' });
    assert.equal(full, 'x'.repeat(TEXT_PREVIEW_CHARS + 100));
    const blob = call('cell', { table: 'c', key: r2!.key, column: 'b' });
    assert.deepEqual(blob, { t: 'blob', size: 70000, hex: '00'.repeat(70000) });
  });

  it('values from the webview are checked before they are bound', () => {
    assert.equal(fromWire(null), null);
    assert.equal(fromWire({ t: 'int', v: '-9223372036854775808' }), -9223372036854775808n);
    assert.deepEqual(fromWire({ t: 'blob', hex: 'cafe' }), new Uint8Array([0xca, 0xfe]));
    assert.throws(() => fromWire({ t: 'blob', hex: 'xyz' }), TypeError);
    assert.throws(() => fromWire(Number.NaN), RangeError);
    assert.throws(() => fromWire({ toString: 'x' }), TypeError);
    assert.equal(toCell(Number.POSITIVE_INFINITY) !== null, true);
  });
});
