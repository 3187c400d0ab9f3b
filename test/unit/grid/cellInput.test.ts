// What a user types into a grid cell becomes the value SQLite would store. The sqlite3 CLI is the
// oracle for affinity: the same declared types, the same text, compared by typeof() and quote().
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { affinity, inputToWire } from '../../../src/vscode/sql/cellInput';

const sqlite = (sql: string) => execFileSync('/usr/bin/sqlite3', [':memory:', sql], { encoding: 'utf8' }).trim();

describe('grid cell input', () => {
  const types = ['INTEGER', 'INT', 'BIGINT', 'VARCHAR(20)', 'TEXT', 'CLOB', 'BLOB', '', 'REAL', 'DOUBLE', 'FLOAT', 'NUMERIC', 'DECIMAL(10,2)', 'BOOLEAN', 'DATE', 'CHARINT', 'POINT'];

  it('derives the affinity SQLite derives, for every kind of declared type', () => {
    // The CLI stores text '12' in each column; typeof() shows the affinity that converted it.
    const cols = types.map((t, i) => `c${i} ${t}`).join(', ');
    const out = sqlite(`CREATE TABLE t (${cols}); INSERT INTO t VALUES (${types.map(() => "'12.0'").join(', ')}); SELECT ${types.map((_, i) => `typeof(c${i})`).join(" || ',' || ")} FROM t;`).split(',');
    const expected = types.map((t) => ({ INTEGER: 'integer', NUMERIC: 'integer', REAL: 'real', TEXT: 'text', BLOB: 'text' })[affinity(t)]);
    assert.deepEqual(out, expected);
  });

  it('stores typed text as the CLI stores it: numbers in numeric columns, text elsewhere', () => {
    const cases: [string, string][] = [['INTEGER', '42'], ['INTEGER', ' 42 '], ['INTEGER', '4.5'], ['INTEGER', 'abc'], ['INTEGER', ''], ['REAL', '3'], ['REAL', '1e3'], ['TEXT', '42'], ['TEXT', ''], ['NUMERIC', '007'], ['INTEGER', '9007199254740993'], ['INTEGER', '99999999999999999999']];
    for (const [type, text] of cases) {
      const cli = sqlite(`CREATE TABLE t (c ${type}); INSERT INTO t VALUES ('${text}'); SELECT typeof(c) || ' ' || quote(c) FROM t;`);
      const w = inputToWire({ text }, affinity(type));
      // As sql.js binds them: a JS number is an int only within 32 bits, {t:'int'} is a 64-bit int.
      const ours = w === null ? 'null NULL' : typeof w === 'number' ? (Number.isInteger(w) && Math.abs(w) < 2 ** 31 && !/[.eE]/.test(text) && affinity(type) !== 'REAL' ? `integer ${w}` : `real ${w}`)
        : typeof w === 'string' ? `text '${w}'` : 't' in w && w.t === 'int' ? `integer ${w.v}` : 'blob';
      // The CLI prints reals in its own form (3.0, 1000.0): compare the numbers, not their spelling.
      const [cliType, cliValue] = [cli.split(' ')[0], cli.slice(cli.indexOf(' ') + 1)];
      const [ourType, ourValue] = [ours.split(' ')[0], ours.slice(ours.indexOf(' ') + 1)];
      assert.equal(ourType, cliType, `${type} '${text}': CLI ${cli}, ours ${ours}`);
      if (cliType === 'real' || cliType === 'integer') assert.equal(Number(ourValue), Number(cliValue), `${type} '${text}'`);
      else assert.equal(ourValue, cliValue, `${type} '${text}'`);
    }
  });

  it('keeps NULL and the empty string apart', () => {
    assert.equal(inputToWire(null, 'TEXT'), null);
    assert.equal(inputToWire({ text: '' }, 'TEXT'), '');
    assert.equal(inputToWire({ text: '' }, 'INTEGER'), '');
  });

  it('keeps a number a number in an untyped column only when the cell held one', () => {
    assert.equal(inputToWire({ text: '5', wasNumber: true }, 'BLOB'), 5);
    assert.equal(inputToWire({ text: '5' }, 'BLOB'), '5');
  });

  it('keeps every digit of a 64-bit integer', () => {
    assert.deepEqual(inputToWire({ text: '9007199254740993' }, 'INTEGER'), { t: 'int', v: '9007199254740993' });
    assert.deepEqual(inputToWire({ text: '5000000000', wasNumber: true }, 'BLOB'), { t: 'int', v: '5000000000' });
    assert.equal(inputToWire({ text: '-2147483648' }, 'INTEGER'), -2147483648);
    assert.equal(inputToWire({ text: '-9223372036854775809' }, 'INTEGER'), -9223372036854775809);
  });
});
