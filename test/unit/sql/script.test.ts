import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineColumn, pickStatements, splitStatements } from '../../../src/core/sql/script';
import { classify, explainPlan } from '../../../src/core/sql/plan';
import { loadSqlJs } from '../../../src/core/sql/loader';
import { WASM } from './support';

describe('splitting a script into statements', () => {
  it('splits on ; outside quotes, comments and trigger bodies', () => {
    const script = [
      "SELECT 'a;b', \"c;d\", [e;f], `g;h`; -- one; still a comment",
      '/* block; comment */ INSERT INTO t VALUES (1);',
      'CREATE TRIGGER tr AFTER INSERT ON t BEGIN',
      '  UPDATE t SET x = CASE WHEN new.x > 0 THEN 1 ELSE 0 END;',
      '  DELETE FROM u;',
      'END;',
      'SELECT 2',
    ].join('\n');
    const parts = splitStatements(script).map((s) => s.sql);
    assert.equal(parts.length, 4, JSON.stringify(parts));
    assert.match(parts[2]!, /^CREATE TRIGGER[\s\S]*DELETE FROM u;\nEND;$/);
    assert.equal(parts[3], 'SELECT 2');
    for (const s of splitStatements(script)) assert.equal(script.slice(s.start, s.end).trim(), s.sql);
  });

  it('ignores empty statements and trailing comments', () => {
    assert.deepEqual(splitStatements(';; -- nothing\n').map((s) => s.sql), []);
    assert.deepEqual(splitStatements("SELECT 'it''s'; ;").map((s) => s.sql), ["SELECT 'it''s';"]);
  });

  it('picks the statement under the cursor, the selection, or all', () => {
    const script = 'SELECT 1;\nSELECT 2;\nSELECT 3;';
    assert.deepEqual(pickStatements(script, { offset: 12 }).map((s) => s.sql), ['SELECT 2;']);
    assert.deepEqual(pickStatements(script, { offset: script.length }).map((s) => s.sql), ['SELECT 3;']);
    assert.deepEqual(pickStatements(script, { selection: [10, 29] }).map((s) => [s.sql, s.start]), [['SELECT 2;', 10], ['SELECT 3;', 20]]);
    assert.equal(pickStatements(script).length, 3);
  });

  it('gives 1-based line and column', () => {
    assert.deepEqual(lineColumn('ab\ncd', 4), { line: 2, column: 2 });
  });
});

describe('EXPLAIN QUERY PLAN as a tree', () => {
  it('classifies scans and index searches', () => {
    assert.deepEqual(classify('SCAN t'), { kind: 'scan' });
    assert.deepEqual(classify('SEARCH t USING INDEX t_a (a=?)'), { kind: 'search', index: 't_a' });
    assert.deepEqual(classify('SEARCH t USING COVERING INDEX t_a (a>?)'), { kind: 'search', index: 't_a', covering: true });
    assert.deepEqual(classify('SEARCH t USING INTEGER PRIMARY KEY (rowid=?)'), { kind: 'search', index: 'INTEGER PRIMARY KEY' });
    assert.deepEqual(classify('USE TEMP B-TREE FOR ORDER BY'), { kind: 'sort' });
  });

  it('nests subqueries under their parents and marks full scans', async () => {
    const SQL = await loadSqlJs(WASM);
    const db = new SQL.Database();
    db.run('CREATE TABLE a(id INTEGER PRIMARY KEY, x); CREATE TABLE b(a_id, y); CREATE INDEX b_a ON b(a_id);');
    const plan = explainPlan(db, 'SELECT * FROM a WHERE x IN (SELECT y FROM b WHERE a_id = 3) ORDER BY x;');
    const flat = (ns: typeof plan): string[] => ns.flatMap((n) => [`${n.kind}:${n.detail}`, ...flat(n.children).map((c) => `  ${c}`)]);
    const lines = flat(plan);
    assert.ok(lines.includes('scan:SCAN a'), lines.join('\n'));
    assert.ok(lines.some((l) => /^ {2}search:SEARCH b USING INDEX b_a/.test(l)), lines.join('\n'));
    db.close();
  });
});
