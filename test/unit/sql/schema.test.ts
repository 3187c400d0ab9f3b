import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { engineFor } from './engine';
import { cli, cliJson, features, tempDir } from './support';
import type { Schema } from '../../../src/core/sql/schemaTypes';

describe('schema introspection matches the sqlite3 CLI', () => {
  let db = '';
  let schema: Schema;
  before(async () => {
    db = features(tempDir());
    const { call } = await engineFor(db);
    schema = call('schema', {});
  });
  const table = (name: string) => {
    const t = schema.tables.find((x) => x.name === name);
    assert.ok(t, `table ${name}`);
    return t;
  };
  // Tables the CLI can describe (it has FTS5; this sql.js build does not, so the FTS5 table is checked apart).
  const plain = () => schema.tables.filter((t) => t.kind !== 'virtual').map((t) => t.name);

  it('lists the same tables, views, indexes and triggers as sqlite_schema', () => {
    const rows = cliJson(db, "SELECT type, name FROM sqlite_schema WHERE name NOT GLOB 'sqlite_*' ORDER BY name");
    const want = (type: string) => rows.filter((r) => r.type === type).map((r) => r.name).sort();
    assert.deepEqual(schema.tables.map((t) => t.name).sort(), want('table'));
    assert.deepEqual(schema.views.map((v) => v.name).sort(), want('view'));
    assert.deepEqual(schema.triggers.map((v) => v.name).sort(), want('trigger'));
    // WITHOUT ROWID primary keys are indexes the pragmas list but sqlite_schema does not.
    const cliIndexes = cliJson(db, "SELECT il.name FROM sqlite_schema s JOIN pragma_index_list(s.name) il WHERE s.type = 'table'").map((r) => r.name);
    const shadowFree = schema.indexes.map((i) => i.name).sort();
    assert.deepEqual(shadowFree, [...cliIndexes].sort());
  });

  it('columns equal pragma_table_xinfo for every table and view', () => {
    for (const name of [...plain(), ...schema.views.map((v) => v.name)]) {
      const want = cliJson(db, `SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo('${name.replace(/'/g, "''")}') ORDER BY cid`);
      const got = (schema.tables.find((t) => t.name === name) ?? schema.views.find((v) => v.name === name))!.columns;
      assert.deepEqual(
        got.map((c) => [c.cid, c.name, c.type, c.notNull ? 1 : 0, c.default, c.pk, ['normal', 'hidden', 'virtual', 'stored'].indexOf(c.hidden)]),
        want.map((r) => [r.cid, r.name, r.type, r.notnull, r.dflt_value, r.pk, r.hidden]),
        name,
      );
    }
  });

  it('indexes equal pragma_index_list and pragma_index_xinfo', () => {
    for (const name of plain()) {
      const q = name.replace(/'/g, "''");
      const list = cliJson(db, `SELECT name, "unique", origin, partial FROM pragma_index_list('${q}') ORDER BY name`);
      const got = [...table(name).indexes].sort((a, b) => a.name.localeCompare(b.name));
      assert.deepEqual(got.map((i) => [i.name, i.unique ? 1 : 0, i.origin, i.partial ? 1 : 0]), list.map((r) => [r.name, r.unique, r.origin, r.partial]), name);
      for (const i of got) {
        const cols = cliJson(db, `SELECT cid, name, "desc", coll FROM pragma_index_xinfo('${i.name}') WHERE key = 1 ORDER BY seqno`);
        assert.deepEqual(i.columns.map((c) => [c.cid, c.name, c.desc ? 1 : 0, c.collation]), cols.map((r) => [r.cid, r.name, r.desc, r.coll]), i.name);
      }
    }
  });

  it('shows expression columns, partial WHERE, DESC and COLLATE', () => {
    const idx = (n: string) => schema.indexes.find((i) => i.name === n)!;
    assert.deepEqual(idx('books_lower_title').columns.map((c) => c.expression ?? c.name), ['lower(title)', 'price']);
    assert.equal(idx('books_lower_title').columns[1]?.desc, true);
    assert.equal(idx('books_isbn_partial').where, 'isbn IS NOT NULL');
    assert.equal(idx('books_isbn_partial').unique, true);
    assert.equal(idx('books_title_nocase').columns[0]?.collation, 'NOCASE');
    assert.equal(idx('books_author_title').columns[1]?.desc, true);
    assert.equal(idx('sqlite_autoindex_authors_1').origin, 'u');
    assert.equal(idx('sqlite_autoindex_tags_1').origin, 'pk');
  });

  it('foreign keys equal pragma_foreign_key_list, with their actions', () => {
    for (const name of plain()) {
      const want = cliJson(db, `SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list('${name.replace(/'/g, "''")}') ORDER BY id, seq`);
      const got = table(name).foreignKeys.flatMap((fk) => fk.from.map((f, i) => [fk.id, fk.table, f, fk.to[i], fk.onUpdate, fk.onDelete]));
      assert.deepEqual(got, want.map((r) => [r.id, r.table, r.from, r.to, r.on_update, r.on_delete]), name);
    }
    const books = table('books').foreignKeys;
    assert.ok(books.some((f) => f.onDelete === 'CASCADE' && f.onUpdate === 'CASCADE'));
    assert.ok(books.some((f) => f.onDelete === 'SET NULL' && f.to[0] === null));
  });

  it('shows WITHOUT ROWID, STRICT, virtual (FTS5) and its shadow tables for what they are', () => {
    const list = cliJson(db, "SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT GLOB 'sqlite_*'");
    for (const r of list) {
      if (r.type === 'view') continue;
      const t = table(String(r.name));
      assert.equal(t.kind, r.type, String(r.name));
      assert.equal(t.withoutRowid, r.wr === 1, String(r.name));
      assert.equal(t.strict, r.strict === 1, String(r.name));
    }
    const fts = table('book_text');
    assert.equal(fts.module, 'fts5');
    assert.deepEqual(fts.columns.map((c) => [c.name, c.hidden]), cliJson(db, "SELECT name, hidden FROM pragma_table_xinfo('book_text')").map((r) => [r.name, ['normal', 'hidden'][Number(r.hidden)]]));
    assert.deepEqual(table('tags').key, ['book_id', 'tag']);
    assert.equal(table('authors').columns.find((c) => c.name === 'name_len')?.hidden, 'virtual');
    assert.equal(table('authors').columns.find((c) => c.name === 'name_upper')?.hidden, 'stored');
  });

  it('triggers and views carry their SQL as .schema prints it', () => {
    const dump = cli(db, '.schema books');
    const trig = schema.triggers.find((t) => t.name === 'books_stamp')!;
    assert.ok(dump.includes(`${trig.sql};`), dump);
    assert.equal(trig.table, 'books');
    assert.deepEqual(table('books').triggers.map((t) => t.name), ['books_stamp']);
    assert.deepEqual(schema.views.find((v) => v.name === 'author_books')?.triggers.map((t) => t.name), ['author_books_ins']);
  });

  it('reads a table whose name is an injection attempt, as data', async () => {
    const t = table('"; DROP TABLE x; --'.slice(1));
    assert.deepEqual(t.columns.map((c) => c.name), ['a"b', 'select']);
  });
});
