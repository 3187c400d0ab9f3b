import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { atomicWrite } from '../../../src/core/local/atomicWrite';
import type { SqlSession } from '../../../src/core/sql/host';
import { cli, cliJson, features, openSession, tempDir } from './support';

describe('edit, create an index, export and save (through the worker)', () => {
  let db = '';
  let s: SqlSession;
  before(async () => {
    db = features(tempDir());
    s = await openSession(db);
  });
  after(() => s.close());

  it('starts clean and becomes dirty on an edit', async () => {
    assert.equal(s.dirty, false);
    await s.call('update', { table: 'books', key: [2], values: { title: 'Compilers, 2nd ed.', price: 25.5, cover: { t: 'blob', hex: 'cafe' } } });
    assert.equal(s.dirty, true);
  });

  it('inserts and deletes rows by key, with values bound', async () => {
    const key = await s.call('insert', { table: 'tags', values: { book_id: 2, tag: "it's; DROP TABLE tags; --", weight: 5 } });
    assert.deepEqual(key, [2, "it's; DROP TABLE tags; --"]);
    await s.call('delete', { table: 'tags', key: [1, 'history'] });
    await assert.rejects(s.call('delete', { table: 'tags', key: [1, 'history'] }), /no longer exists/);
    const rowid = await s.call('insert', { table: '; DROP TABLE x; --', values: { 'a"b': null, select: 7 } });
    assert.equal(rowid.length, 1);
  });

  it('refuses to write a generated column', async () => {
    await assert.rejects(s.call('update', { table: 'authors', key: [1], values: { name_len: 3 } }), /generated column/);
  });

  it('creates and drops an index', async () => {
    await s.call('createIndex', { name: 'books_price', table: 'books', columns: [{ name: 'price', desc: true }], where: 'price > 0' });
    const schema = await s.call('schema', {});
    const idx = schema.indexes.find((i) => i.name === 'books_price');
    assert.equal(idx?.where, 'price > 0');
    await s.call('createIndex', { name: 'tmp_idx', table: 'books', columns: [{ name: 'title', collate: 'NOCASE' }] });
    await s.call('dropIndex', { name: 'tmp_idx' });
    await assert.rejects(s.call('dropIndex', { name: 'sqlite_autoindex_authors_1' }), /UNIQUE constraint/);
  });

  it('saves atomically; the sqlite3 CLI sees the change and integrity_check is ok', async () => {
    const bytes = await s.exportBytes();
    await atomicWrite(db, bytes);
    await s.markSaved();
    assert.equal(s.dirty, false);
    assert.deepEqual(readdirSync(dirname(db)).filter((f) => f.endsWith('.tmp')), []);
    assert.equal(cli(db, 'PRAGMA integrity_check'), 'ok');
    assert.equal(cli(db, 'PRAGMA foreign_key_check'), '');
    assert.deepEqual(cliJson(db, 'SELECT title, price, hex(cover) AS cover FROM books WHERE id = 2'), [{ title: 'Compilers, 2nd ed.', price: 25.5, cover: 'CAFE' }]);
    assert.equal(cli(db, "SELECT count(*) FROM tags WHERE tag = 'it''s; DROP TABLE tags; --'"), '1');
    assert.match(cli(db, '.schema books'), /CREATE INDEX "books_price" ON "books" \("price" DESC\) WHERE price > 0;/);
    assert.equal(cli(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'tmp_idx'"), '0');
    // The saved file is the same database: the same schema and rows as sql.js sees.
    const again = await openSession(db);
    assert.deepEqual(await again.call('schema', {}), await s.call('schema', {}));
    await again.close();
  });

  it('discard reloads the last saved state', async () => {
    await s.call('delete', { table: 'books', key: [3] });
    assert.equal(s.dirty, true);
    await s.discard();
    assert.equal(s.dirty, false);
    const c = await s.call('openCursor', { table: 'books' });
    assert.equal(c.total, 3);
  });
});
