import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { report } from './report';

const SQLITE3 = '/usr/bin/sqlite3';
const cmd = <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(`storageInspector.${id}`, ...args);
const cli = (db: string, sql: string) => execFileSync(SQLITE3, [db, sql], { encoding: 'utf8' }).trim();
const cliJson = (db: string, sql: string) => JSON.parse(execFileSync(SQLITE3, ['-json', db, sql], { encoding: 'utf8' }) || '[]') as Record<string, unknown>[];

interface Snap { label: string; description?: string; contextValue?: string; children: Snap[] }
const child = (n: Snap | undefined, label: string): Snap => {
  const c = n?.children.find((x) => x.label === label || x.label === `● ${label}`);
  assert.ok(c, `"${label}" under "${n?.label}" (has: ${n?.children.map((x) => x.label).join(', ')})`);
  return c;
};

describe('SQL view (sql.js in a worker)', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(path.join(process.env.SI_FIXTURES ?? tmpdir(), 'sql-'));
  const featuresDb = path.join(dir, 'features.db');
  const bigDb = path.join(dir, 'big.db');
  let featuresId = '';

  before(async () => {
    const ext = vscode.extensions.getExtension('storage-inspector.storage-inspector');
    assert.ok(ext);
    await ext.activate();
    const features = readFileSync(path.join(ext.extensionPath, 'test/unit/sql/fixtures/features.sql'), 'utf8');
    execFileSync(SQLITE3, [featuresDb], { input: features });
    execFileSync(SQLITE3, [bigDb], {
      input: `CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, grp INTEGER);
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000)
        INSERT INTO t SELECT x, 'n' || (x * 7919 % 1000003), x % 97 FROM c;`,
    });
  });

  after(async () => {
    for (const db of [featuresDb, bigDb]) await cmd('sql.closeDatabase', vscode.Uri.file(db).toString(), { pick: 'Close Without Saving' }).then(undefined, () => undefined);
  });

  it('opens the fixture and the tree shows its schema as the pragmas report it', async () => {
    featuresId = (await cmd<string>('sql.openDatabase', vscode.Uri.file(featuresDb)))!;
    assert.ok(featuresId);
    const snap = (await cmd<Snap[]>('sql.internal.rows', undefined, 8))!;
    const db = snap.find((n) => n.label === 'features.db');
    assert.ok(db, JSON.stringify(snap.map((n) => n.label)));
    assert.match(db.description ?? '', /page 4096 · SQLite 3\.\d+\.\d+ · 12 tables · \d+ indexes/);
    // The count beside the database is the Indexes group's (a WITHOUT ROWID table's primary key index included).
    assert.equal(Number(/(\d+) indexes/.exec(db.description ?? '')?.[1]), child(db, 'Indexes').children.length);
    const tables = child(db, 'Tables');
    const want = cliJson(featuresDb, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT GLOB 'sqlite_*' ORDER BY name").map((r) => r.name);
    assert.deepEqual(tables.children.map((t) => t.label).sort(), [...want].sort());
    assert.match(child(tables, 'tags').description ?? '', /WITHOUT ROWID/);
    assert.match(child(tables, 'events').description ?? '', /STRICT/);
    assert.match(child(tables, 'book_text').description ?? '', /virtual \(fts5/);
    assert.match(child(tables, 'book_text_data').description ?? '', /shadow/);
    const authors = child(tables, 'authors');
    assert.match(child(authors, 'name_len').description ?? '', /GENERATED VIRTUAL/);
    assert.match(child(authors, 'id').description ?? '', /INTEGER · PK 1/);
    assert.match(child(authors, 'born').description ?? '', /DEFAULT 1970/);
    const books = child(tables, 'books');
    const idx = child(books, 'Indexes');
    assert.match(child(idx, 'books_lower_title').description ?? '', /\(lower\(title\), price DESC\) · created/);
    assert.match(child(idx, 'books_isbn_partial').description ?? '', /UNIQUE · WHERE isbn IS NOT NULL/);
    assert.match(child(idx, 'books_title_nocase').description ?? '', /title COLLATE NOCASE/);
    const fks = child(books, 'Foreign Keys').children.map((f) => `${f.label} ${f.description}`).sort();
    const cliFks = cliJson(featuresDb, "SELECT \"from\", \"table\", coalesce(\"to\", 'PK') AS \"to\", on_delete, on_update FROM pragma_foreign_key_list('books')")
      .map((r) => `(${r.from}) -> ${r.table}(${r.to}) ON DELETE ${r.on_delete} · ON UPDATE ${r.on_update}`).sort();
    assert.deepEqual(fks, cliFks);
    assert.deepEqual(child(books, 'Triggers').children.map((t) => t.label), ['books_stamp']);
    assert.deepEqual(child(db, 'Views').children.map((v) => v.label), ['author_books']);
    report(`    tree: ${tables.children.length} tables, ${child(db, 'Indexes').children.length} indexes`);
  });

  it('pages a 1M-row table at the start, middle and end', async () => {
    await cmd('sql.openDatabase', vscode.Uri.file(bigDb));
    const shown = (await cmd<{ panel: string; total: number }>('sql.showRows', { db: vscode.Uri.file(bigDb).toString(), table: 't' }))!;
    assert.equal(shown.total, 1_000_000);
    const times: string[] = [];
    for (const offset of [0, 500_000, 999_900]) {
      const t0 = Date.now();
      const page = (await cmd<{ rows: { key: unknown[]; cells: unknown[] }[] }>('sql.internal.gridPage', shown.panel, offset, 100))!;
      times.push(`${offset}: ${Date.now() - t0} ms`);
      const want = cliJson(bigDb, `SELECT id, name, grp FROM t ORDER BY id LIMIT 100 OFFSET ${offset}`);
      assert.deepEqual(page.rows.map((r) => r.cells), want.map((r) => [r.id, r.name, r.grp]), `offset ${offset}`);
    }
    report(`    grid pages: ${times.join(', ')}`);
  });

  it('edits a row, creates an index and saves; the sqlite3 CLI sees it and integrity_check is ok', async () => {
    await cmd('sql.newQuery', featuresId, "UPDATE books SET title = 'Edited in VS Code' WHERE id = 1;");
    const results = (await cmd<{ changes: number }[]>('sql.runQuery', { all: true }))!;
    assert.equal(results[0]?.changes, 1);
    assert.equal(await cmd('sql.createIndex', { db: featuresId, table: 'books' }, { name: 'books_published', columns: [{ name: 'published', desc: true }] }), 'books_published');
    assert.equal(await cmd('sql.internal.dirty', featuresId), true);
    const dirtyLabel = ((await cmd<Snap[]>('sql.internal.rows', undefined, 8))!).find((n) => n.label?.endsWith('features.db'));
    assert.equal(dirtyLabel?.label, '● features.db', 'the tree marks the database modified');
    await cmd('sql.saveDatabase', featuresId);
    assert.equal(await cmd('sql.internal.dirty', featuresId), false);
    assert.equal(cli(featuresDb, 'SELECT title FROM books WHERE id = 1'), 'Edited in VS Code');
    assert.equal(cli(featuresDb, "SELECT count(*) FROM sqlite_schema WHERE name = 'books_published'"), '1');
    assert.equal(cli(featuresDb, 'PRAGMA integrity_check'), 'ok');
  });

  it('a change to one database redraws only its node, not the whole view', async () => {
    await cmd('sql.internal.rows', undefined, 2);
    await cmd('sql.internal.redrawn');
    await cmd('sql.newQuery', featuresId, "UPDATE books SET title = 'Redrawn alone' WHERE id = 2;");
    await cmd('sql.runQuery', { all: true });
    await cmd('sql.saveDatabase', featuresId);
    const redrawn = (await cmd<string[]>('sql.internal.redrawn'))!;
    assert.ok(redrawn.length > 0, 'the change was drawn');
    assert.deepEqual([...new Set(redrawn)], [featuresId], `only the database's node: ${JSON.stringify(redrawn)}`);
  });

  it('explains a query plan as a tree, marking index use vs full scans', async () => {
    await cmd('sql.newQuery', featuresId, 'SELECT * FROM books WHERE author_id = 1;\nSELECT * FROM books WHERE cover IS NULL;');
    const editor = vscode.window.activeTextEditor!;
    editor.selection = new vscode.Selection(0, 5, 0, 5);
    const plan = (await cmd<{ kind: string; detail: string }[]>('sql.explainQuery'))!;
    assert.equal(plan[0]?.kind, 'search');
    assert.match(plan[0]?.detail ?? '', /USING INDEX books_author_title/);
    editor.selection = new vscode.Selection(1, 5, 1, 5);
    const scan = (await cmd<{ kind: string }[]>('sql.explainQuery'))!;
    assert.equal(scan[0]?.kind, 'scan');
  });

  it('cancels a query that runs forever and keeps working', async () => {
    await cmd('sql.newQuery', featuresId, 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;');
    const running = cmd('sql.runQuery', { all: true });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await cmd('sql.cancelQuery', featuresId), true);
    await running;
    await cmd('sql.newQuery', featuresId, 'SELECT count(*) AS n FROM books;');
    const results = (await cmd<{ rows: unknown[][] }[]>('sql.runQuery', { all: true }))!;
    assert.deepEqual(results[0]?.rows, [[3]]);
  });

  it('opens a .db.gz.age from the Local view, changes it and saves it back with its layers', async function () {
    const base = mkdtempSync(path.join(process.env.SI_FIXTURES ?? tmpdir(), 'sql-age-'));
    const root = path.join(base, 'root');
    execFileSync('/bin/mkdir', ['-p', root]);
    const identity = path.join(base, 'identity.txt');
    execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
    const recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity], { encoding: 'utf8' }).trim();
    const file = path.join(root, 'features.db.gz.age');
    execFileSync('/bin/sh', ['-c', `/usr/bin/gzip -c "$0" | /usr/bin/age -r "$1" > "$2"`, featuresDb, recipient, file]);
    const decrypt = (to: string) => execFileSync('/bin/sh', ['-c', '/usr/bin/age -d -i "$0" "$1" | /usr/bin/gzip -d > "$2"', identity, file, to]);
    const settings = vscode.workspace.getConfiguration('storageInspector');
    await cmd('keys.importIdentity', identity);
    const rootId = (await cmd<string>('local.addRoot', root))!;
    try {
      const id = (await cmd<string>('sql.openAsDatabase', { kind: 'file', rootId, path: file }))!;
      assert.match(id, /^storage-local:/);
      const snap = (await cmd<Snap[]>('sql.internal.rows', undefined, 8))!;
      const db = snap.find((n) => n.label === 'features.db.gz.age');
      assert.ok(db, snap.map((n) => n.label).join(', '));
      assert.equal(child(db, 'Tables').children.length, 12);
      await cmd('sql.newQuery', id, "INSERT INTO authors(name) VALUES ('Through age and gzip');");
      await cmd('sql.runQuery', { all: true });
      await cmd('sql.saveDatabase', id);
      const plain = path.join(base, 'after.db');
      decrypt(plain);
      assert.equal(cli(plain, "SELECT count(*) FROM authors WHERE name = 'Through age and gzip'"), '1');
      assert.equal(cli(plain, 'PRAGMA integrity_check'), 'ok');
      assert.equal(readFileSync(file).subarray(0, 21).toString(), 'age-encryption.org/v1', 'still age-encrypted on disk');
      await cmd('sql.closeDatabase', id, { pick: 'Close Without Saving' });
    } finally {
      await cmd('local.removeRoot', root);
      await settings.update('local.roots', [], vscode.ConfigurationTarget.Global);
    }
  });

  it('opens a .db.gz.age object from S3 read-only by default, and saves it back with its layers when allowed', async function () {
    const endpoint = process.env.SI_S3_ENDPOINT;
    assert.ok(endpoint, 'SI_S3_ENDPOINT is not set: run the suites under scripts/moto.sh');
    const awsEnv = { ...process.env, AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'testing', AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing', AWS_DEFAULT_REGION: 'us-east-1' };
    const aws = (...args: string[]) => execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint!, ...args], { env: awsEnv });
    const base = mkdtempSync(path.join(process.env.SI_FIXTURES ?? tmpdir(), 'sql-s3-'));
    const identity = path.join(base, 'identity.txt');
    execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
    const recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity], { encoding: 'utf8' }).trim();
    const sealed = path.join(base, 'features.db.gz.age');
    execFileSync('/bin/sh', ['-c', '/usr/bin/gzip -c "$0" | /usr/bin/age -r "$1" > "$2"', featuresDb, recipient, sealed]);
    await cmd('keys.importIdentity', identity);
    const connectionId = `sql-moto-${Date.now()}`;
    const bucket = `si-sql-${Date.now()}`;
    const key = 'dbs/features.db.gz.age';
    aws('s3api', 'create-bucket', '--bucket', bucket);
    aws('s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', sealed);
    await cmd('s3.addConnection', { id: connectionId, name: 'moto-sql', endpoint, region: 'us-east-1', forcePathStyle: true, accessKeyId: awsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: awsEnv.AWS_SECRET_ACCESS_KEY });
    const node = { kind: 's3Object', connectionId, bucket, key, versioned: false };
    try {
      const ro = (await cmd<string>('sql.openAsDatabase', node))!;
      assert.match(ro, /^storage-s3:/);
      const snap = (await cmd<Snap[]>('sql.internal.rows', undefined, 8))!;
      const db = snap.find((n) => n.label === 'features.db.gz.age' && /read-only/.test(n.description ?? ''));
      assert.ok(db, 'an S3 database opens read-only by default');
      assert.equal(child(db, 'Tables').children.length, 12);
      await cmd('sql.closeDatabase', ro, { pick: 'Close Without Saving' });
      const rw = (await cmd<string>('sql.openAsDatabase', node, { readOnly: false }))!;
      await cmd('sql.newQuery', rw, "UPDATE authors SET name = 'Saved to S3' WHERE id = 2;");
      await cmd('sql.runQuery', { all: true });
      await cmd('sql.saveDatabase', rw);
      assert.equal(await cmd('sql.internal.dirty', rw), false);
      const back = path.join(base, 'back.age');
      aws('s3api', 'get-object', '--bucket', bucket, '--key', key, back);
      assert.equal(readFileSync(back).subarray(0, 21).toString(), 'age-encryption.org/v1', 'still age-encrypted in S3');
      const plain = path.join(base, 'back.db');
      execFileSync('/bin/sh', ['-c', '/usr/bin/age -d -i "$0" "$1" | /usr/bin/gzip -d > "$2"', identity, back, plain]);
      assert.equal(cli(plain, 'SELECT name FROM authors WHERE id = 2'), 'Saved to S3');
      assert.equal(cli(plain, 'PRAGMA integrity_check'), 'ok');
      await cmd('sql.closeDatabase', rw, { pick: 'Close Without Saving' });
    } finally {
      await cmd('s3.removeConnection', { connectionId }, { confirm: true });
    }
  });

  it('closes databases and frees them', async () => {
    assert.equal(await cmd('sql.closeDatabase', featuresId, { pick: 'Close Without Saving' }), true);
    const snap = (await cmd<Snap[]>('sql.internal.rows', undefined, 8))!;
    assert.ok(!snap.some((n) => n.contextValue?.startsWith('sqlDb') && n.label.endsWith('features.db') && n.contextValue !== 'sqlDbFile'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
