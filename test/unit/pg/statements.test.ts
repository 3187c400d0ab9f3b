import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitStatements, statementAt } from '../../../src/core/pg/statements';

const texts = (s: string) => splitStatements(s).map((x) => x.sql);

describe('PostgreSQL script splitting', () => {
  it('splits at top-level semicolons only', () => {
    assert.deepEqual(texts("SELECT 1; SELECT ';' AS a;\nSELECT \"x;y\" FROM t"), ['SELECT 1', "SELECT ';' AS a", 'SELECT "x;y" FROM t']);
  });

  it('keeps dollar quotes, E-strings, doubled quotes and nested comments whole', () => {
    const fn = 'CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql';
    assert.deepEqual(texts(`${fn};\nSELECT $$a;b$$, E'it\\'s;', 'x''; y' /* a /* b; */ c; */ ; SELECT $1`), [
      fn, "SELECT $$a;b$$, E'it\\'s;', 'x''; y' /* a /* b; */ c; */", 'SELECT $1']);
  });

  it('drops comment-only pieces and starts each statement at its first token', () => {
    const script = '-- header; with a semicolon\n  /* c */ SELECT 1 ;\n\n-- only a comment\n';
    const [only, ...rest] = splitStatements(script);
    assert.equal(rest.length, 0);
    assert.equal(only?.sql, 'SELECT 1');
    assert.equal(script.slice(only!.start, only!.end), 'SELECT 1');
  });

  it('picks the statement under the cursor, or the one just before it', () => {
    const script = 'SELECT 1;\nSELECT 2;\n\n';
    assert.equal(statementAt(script, 3)?.sql, 'SELECT 1');
    assert.equal(statementAt(script, 12)?.sql, 'SELECT 2');
    assert.equal(statementAt(script, script.length)?.sql, 'SELECT 2');
    assert.equal(statementAt('', 0), undefined);
  });
});
