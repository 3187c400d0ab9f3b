// SQLite: Save Database and Discard Changes say what they did, also when there was nothing to do.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const SQLITE3 = '/usr/bin/sqlite3';
const cmd = <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(`storageInspector.${id}`, ...args);

describe('SQL view: save and discard say what they did', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(process.env.SI_FIXTURES ?? tmpdir(), 'sqlfeedback-'));
  const db = path.join(dir, 'told.db');
  let id = '';
  const shown: string[] = [];
  const w = vscode.window as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = w.showInformationMessage!;

  before(async () => {
    const ext = vscode.extensions.getExtension('storage-inspector.storage-inspector');
    assert.ok(ext);
    await ext.activate();
    execFileSync(SQLITE3, [db], { input: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'one');" });
    id = (await cmd<string>('sql.openDatabase', vscode.Uri.file(db)))!;
    w.showInformationMessage = (...args: unknown[]) => {
      shown.push(String(args[0]));
      return original.apply(vscode.window, args);
    };
  });

  after(async () => {
    w.showInformationMessage = original;
    await cmd('sql.closeDatabase', id, { force: true }).then(undefined, () => undefined);
  });

  it('with nothing pending, Save and Discard each say so and write nothing', async () => {
    const before = statSync(db).mtimeMs;
    assert.equal(await cmd('sql.saveDatabase', id), 'unchanged');
    assert.equal(shown.at(-1), 'told.db has no unsaved changes, so there was nothing to save and nothing was written.');
    assert.equal(await cmd('sql.discardChanges', id), false);
    assert.equal(shown.at(-1), 'told.db has no unsaved changes, so there is nothing to discard.');
    assert.equal(statSync(db).mtimeMs, before);
  });

  it('a save says what it wrote and where; a discard says what it dropped', async () => {
    await cmd('sql.newQuery', id, "UPDATE t SET v = 'two' WHERE id = 1;");
    await cmd('sql.runQuery', { all: true });
    assert.equal(await cmd('sql.saveDatabase', id), 'saved');
    assert.match(shown.at(-1) ?? '', new RegExp(`^Saved told\\.db: wrote \\d+(\\.\\d+)? [KM]?i?B to ${db.replace(/[.]/g, '\\.')}\\.$`));
    await cmd('sql.newQuery', id, "UPDATE t SET v = 'three' WHERE id = 1;");
    await cmd('sql.runQuery', { all: true });
    assert.equal(await cmd('sql.discardChanges', id, { confirm: true }), true);
    assert.equal(shown.at(-1), 'Discarded the unsaved changes to told.db; it shows the file as last saved.');
    assert.equal(execFileSync(SQLITE3, [db, 'SELECT v FROM t'], { encoding: 'utf8' }).trim(), 'two');
  });
});
