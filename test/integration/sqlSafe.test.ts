import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const SQLITE3 = '/usr/bin/sqlite3';
const cmd = <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(`storageInspector.${id}`, ...args);
const cli = (db: string, sql: string) => execFileSync(SQLITE3, [db, sql], { encoding: 'utf8' }).trim();

describe('SQL view: saves never lose data', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(path.join(process.env.SI_FIXTURES ?? tmpdir(), 'sqlsafe-'));
  const db = path.join(dir, 'safe.db');
  let id = '';

  before(async () => {
    const ext = vscode.extensions.getExtension('storage-inspector.storage-inspector');
    assert.ok(ext);
    await ext.activate();
    execFileSync(SQLITE3, [db], { input: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two');" });
    id = (await cmd<string>('sql.openDatabase', vscode.Uri.file(db)))!;
  });

  after(async () => {
    await cmd('sql.closeDatabase', id, { force: true }).then(undefined, () => undefined);
  });

  it('Save Database with no change writes nothing', async () => {
    const before = statSync(db);
    assert.equal(await cmd('sql.saveDatabase', id), 'unchanged');
    assert.equal(statSync(db).mtimeMs, before.mtimeMs);
  });

  it('another writer between open and save: the save is refused, Save As Copy keeps the edit, Reload shows theirs', async () => {
    await cmd('sql.newQuery', id, "UPDATE t SET v = 'mine' WHERE id = 1;");
    await cmd('sql.runQuery', { all: true });
    cli(db, "UPDATE t SET v = 'theirs' WHERE id = 2");
    const theirs = readFileSync(db);
    assert.equal(await cmd('sql.saveDatabase', id, { onConflict: 'keep' }), 'kept');
    assert.ok(readFileSync(db).equals(theirs), 'their file is untouched');
    assert.equal(await cmd('sql.internal.dirty', id), true);
    const copy = path.join(dir, 'safe-copy.db');
    assert.equal(await cmd('sql.saveDatabase', id, { onConflict: 'saveAsCopy', copyTo: copy }), 'copied');
    assert.equal(cli(copy, 'SELECT v FROM t WHERE id = 1'), 'mine');
    assert.ok(readFileSync(db).equals(theirs));
    assert.equal(await cmd('sql.saveDatabase', id, { onConflict: 'reload' }), 'reloaded');
    assert.equal(await cmd('sql.internal.dirty', id), false);
    await cmd('sql.newQuery', id, 'SELECT v FROM t ORDER BY id;');
    const r = (await cmd<{ rows: unknown[][] }[]>('sql.runQuery', { all: true }))!;
    assert.deepEqual(r[0]?.rows, [['one'], ['theirs']]);
  });

  it('Cancel Query keeps the unsaved edits, and they save', async () => {
    await cmd('sql.newQuery', id, "UPDATE t SET v = 'kept' WHERE id = 1;");
    await cmd('sql.runQuery', { all: true });
    await cmd('sql.newQuery', id, 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;');
    const running = cmd('sql.runQuery', { all: true }).then(undefined, () => undefined);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await cmd('sql.cancelQuery', id), true);
    await running;
    assert.equal(await cmd('sql.internal.dirty', id), true, 'still dirty: the edit was run again');
    assert.equal(await cmd('sql.saveDatabase', id), 'saved');
    assert.equal(cli(db, 'SELECT v FROM t WHERE id = 1'), 'kept');
    assert.equal(cli(db, 'PRAGMA integrity_check'), 'ok');
  });
});
