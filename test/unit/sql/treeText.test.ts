import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { columnDescription, foreignKeyLabel, foreignKeyDescription, indexDescription, tableDescription, triggerDescription } from '../../../src/vscode/sql/nodes';
import type { Schema } from '../../../src/core/sql/schemaTypes';
import { engineFor } from './engine';
import { cliJson, features, tempDir } from './support';

// What the SQL tree says for each schema item, checked against the sqlite3 CLI's pragmas.
describe('schema tree texts', () => {
  let db = '';
  let schema: Schema;
  before(async () => {
    db = features(tempDir());
    schema = (await engineFor(db)).call('schema', {});
  });
  const table = (n: string) => schema.tables.find((t) => t.name === n)!;

  it('foreign keys read "(from) -> table(to)" with the actions the CLI reports', () => {
    for (const t of schema.tables.filter((x) => x.kind === 'table')) {
      // A composite key is several rows of one id, in seq order.
      const want = cliJson(db, `SELECT group_concat("from", ', ') AS f, "table", group_concat(coalesce("to", 'PK'), ', ') AS t, on_delete, on_update FROM (SELECT * FROM pragma_foreign_key_list('${t.name.replace(/'/g, "''")}') ORDER BY id, seq) GROUP BY id`)
        .map((r) => `(${r.f}) -> ${r.table}(${r.t}) ON DELETE ${r.on_delete} · ON UPDATE ${r.on_update}`);
      assert.deepEqual(t.foreignKeys.map((f) => `${foreignKeyLabel(f)} ${foreignKeyDescription(f)}`).sort(), want.sort(), t.name);
    }
  });

  it('indexes show columns in order with DESC, COLLATE and expressions, UNIQUE, WHERE and origin', () => {
    const idx = (n: string) => indexDescription(schema.indexes.find((i) => i.name === n)!);
    assert.equal(idx('books_lower_title'), '(lower(title), price DESC) · created');
    assert.equal(idx('books_isbn_partial'), '(isbn) · UNIQUE · WHERE isbn IS NOT NULL · created');
    assert.equal(idx('books_title_nocase'), '(title COLLATE NOCASE) · created');
    assert.equal(idx('sqlite_autoindex_tags_1'), '(book_id, tag) · UNIQUE · primary key');
    assert.equal(idx('sqlite_autoindex_authors_1'), '(email) · UNIQUE · unique constraint');
  });

  it('columns show type, PK position, NOT NULL, default and generated', () => {
    const col = (t: string, c: string) => columnDescription(table(t).columns.find((x) => x.name === c)!);
    assert.equal(col('authors', 'id'), 'INTEGER · PK 1');
    assert.equal(col('authors', 'name'), 'TEXT · NOT NULL');
    assert.equal(col('authors', 'born'), 'INTEGER · DEFAULT 1970');
    assert.equal(col('authors', 'bio'), "TEXT · DEFAULT ''");
    assert.equal(col('authors', 'name_upper'), 'TEXT · GENERATED STORED');
    assert.equal(col('tags', 'tag'), 'TEXT · PK 2 · NOT NULL');
  });

  it('tables show WITHOUT ROWID, STRICT and virtual modules; triggers their timing', () => {
    assert.match(tableDescription(table('tags')), /^WITHOUT ROWID · 3 columns$/);
    assert.match(tableDescription(table('events')), /^STRICT · 4 columns$/);
    assert.match(tableDescription(table('book_text')), /^virtual \(fts5, module not in this build\) · 2 columns$/);
    assert.match(tableDescription(table('book_text_data')), /^shadow/);
    assert.equal(triggerDescription(schema.triggers.find((t) => t.name === 'books_stamp')!), 'AFTER INSERT ON books');
    assert.equal(triggerDescription(schema.triggers.find((t) => t.name === 'author_books_ins')!), 'INSTEAD OF INSERT ON author_books');
  });
});
