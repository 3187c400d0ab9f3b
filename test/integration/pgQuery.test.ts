import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pg, pgSkip, psql, psqlRows } from '../support/pgServer';
import { report } from './report';

const cmd = <T>(id: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(`storageInspector.${id}`, ...args);
type Cell = null | string | { t: string; v: string; length?: number };
interface Page { offset: number; rows: { key: (string | number)[]; cells: Cell[]; changed?: number[]; deleted?: boolean }[] }
type Outcome =
  | { ok: true; columns: string[]; rows: Cell[][]; more: boolean; command: string | null; rowCount: number | null }
  | { ok: false; message: string; code: string; cancelled: boolean; diagnostics: { detail?: string; hint?: string; position?: number; sqlstate?: string } };
const text = (c: Cell): string | null => (c === null || typeof c === 'string' ? c : c.v);

/** psql without blocking this extension host, whose event loop runs the statement being watched. */
async function psqlAsync(sql: string): Promise<string> {
  const args = ['-X', '-q', '-t', '-A', '-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', pg.db, '-c', sql];
  const { stdout } = await promisify(execFile)(`${pg.bin}/psql`, args, { env: { ...process.env, PGPASSWORD: pg.password, PGSSLMODE: 'disable' }, encoding: 'utf8' });
  return stdout.trim();
}

/** Closes every tab without saving (query documents are untitled and dirty: a plain close would ask). */
async function closeAll(): Promise<void> {
  for (let i = 0; i < 100 && vscode.window.tabGroups.all.some((g) => g.tabs.length > 0); i++) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** The diagnostics of `uri` once they match (they come from a settings change event, not from the call). */
async function diagnosticsMatching(uri: vscode.Uri, re: RegExp): Promise<string> {
  const now = () => vscode.languages.getDiagnostics(uri).map((d) => d.message).join('\n');
  if (re.test(now())) return now();
  return new Promise((resolve) => {
    const sub = vscode.languages.onDidChangeDiagnostics(() => { if (re.test(now())) { sub.dispose(); resolve(now()); } });
  });
}

describe('PostgreSQL rows grid, queries and plans', function () {
  this.timeout(120_000);
  if (pgSkip) {
    it.skip(pgSkip, () => undefined);
    return;
  }
  let id = '';
  const at = () => ({ connectionId: id, database: pg.db });
  const resultsKey = () => `pg:${id}/${pg.db}`;
  const grid = <T>(panel: string, op: string, ...args: unknown[]) => cmd<T>('pg.internal.grid', panel, op, ...args);
  const showRows = async (schema: string, table: string) => (await cmd<{ panel: string; note?: string; readOnly?: string; columns: string[] }>('pg.showRows', { ...at(), schema, table }))!;
  /** A query editor on the fixtures database holding `sql`, with the cursor on its first line. */
  const query = async (sql: string): Promise<vscode.TextEditor> => {
    await cmd<string>('pg.newQuery', at(), sql);
    const editor = vscode.window.activeTextEditor!;
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    return editor;
  };
  const run = async (sql: string) => {
    const editor = await query(sql);
    return { editor, outcome: (await cmd<Outcome>('pg.runQuery'))! };
  };

  before(async () => {
    const ext = vscode.extensions.getExtension('storage-inspector.storage-inspector');
    assert.ok(ext);
    await ext.activate();
    id = (await cmd<string>('pg.internal.addConnection', {
      name: 'query suite', host: pg.host, port: pg.port, database: pg.db, user: pg.user, sslmode: 'verify-full', sslrootcert: pg.ca, password: pg.password,
    }))!;
    assert.ok(id);
    psql('DROP TABLE IF EXISTS public.si_query_edits; CREATE TABLE public.si_query_edits (id int PRIMARY KEY, v text); INSERT INTO public.si_query_edits SELECT g, \'v\' || g FROM generate_series(1, 5) g');
  });

  after(async () => {
    await closeAll();
    psql('DROP TABLE IF EXISTS public.si_query_edits');
  });

  it('pages pgbench_accounts at rows 0, 500,000 and 999,900 as psql reads them in the same order', async () => {
    const shown = await showRows('public', 'pgbench_accounts');
    assert.match(shown.note ?? '', /primary key/);
    for (const offset of [0, 500_000, 999_900]) {
      const page = (await cmd<Page>('pg.internal.grid', shown.panel, 'page', offset, 100))!;
      const want = psqlRows(`SELECT aid, bid, abalance, filler::text FROM pgbench_accounts ORDER BY aid OFFSET ${offset} LIMIT 100`);
      assert.equal(page.rows.length, 100);
      assert.deepEqual(page.rows.map((r) => r.cells.map(text)), want, `page at ${offset}`);
    }
    // Sorted on the server, and paged by key in that order too.
    await grid(shown.panel, 'sort', { column: 'aid', desc: true });
    for (const offset of [0, 300_000]) {
      const sorted = (await grid<Page>(shown.panel, 'page', offset, 20))!;
      assert.deepEqual(sorted.rows.map((r) => r.cells.map(text).slice(0, 2)), psqlRows(`SELECT aid, bid FROM pgbench_accounts ORDER BY aid DESC OFFSET ${offset} LIMIT 20`), `sorted page at ${offset}`);
    }
  });

  it('says when a table without a primary key pages through a server-side cursor', async () => {
    const shown = await showRows('shop', 'log_lines');
    assert.match(shown.note ?? '', /no primary key.*server-side cursor/);
    const page = (await grid<Page>(shown.panel, 'page', 10, 5))!;
    assert.deepEqual(page.rows.map((r) => text(r.cells[1]!)), psqlRows('SELECT line FROM shop.log_lines ORDER BY ctid OFFSET 10 LIMIT 5').map((r) => r[0]));
  });

  it('applies staged grid edits in one transaction after a SQL preview, and psql sees them', async () => {
    const shown = await showRows('public', 'si_query_edits');
    assert.equal(shown.readOnly, undefined);
    await grid(shown.panel, 'page', 0, 50);
    const pending = await grid<{ updated: number }>(shown.panel, 'update', ['1'], 'v', 'edited in the grid');
    assert.equal(pending?.updated, 1);
    await grid(shown.panel, 'delete', [['5']]);
    await grid(shown.panel, 'insert');
    const page = (await grid<Page>(shown.panel, 'page', 0, 50))!;
    const added = page.rows.find((r) => typeof r.key[0] === 'number');
    assert.ok(added, 'the new row shows after the last one');
    await grid(shown.panel, 'update', added.key, 'id', '6');
    await grid(shown.panel, 'update', added.key, 'v', 'inserted');
    assert.equal(page.rows.find((r) => r.key[0] === '5')?.deleted, true);
    assert.equal(psql('SELECT v FROM public.si_query_edits WHERE id = 1').trim(), 'v1', 'nothing is written before Save');
    const preview = (await grid<string>(shown.panel, 'preview'))!;
    assert.match(preview, /^BEGIN;\nDELETE FROM "public"."si_query_edits" WHERE "id" = '5'::integer AND xmin::text = '\d+';\nUPDATE "public"."si_query_edits" SET "v" = 'edited in the grid'::text WHERE "id" = '1'::integer AND xmin::text = '\d+';\nINSERT INTO "public"."si_query_edits" \("id", "v"\) VALUES \('6'::integer, 'inserted'::text\);\nCOMMIT;$/);
    assert.equal(await grid(shown.panel, 'save', { pick: 'Apply' }), 'saved');
    assert.deepEqual(psqlRows('SELECT id, v FROM public.si_query_edits ORDER BY id'), [['1', 'edited in the grid'], ['2', 'v2'], ['3', 'v3'], ['4', 'v4'], ['6', 'inserted']]);
  });

  it('turns an edit that races a psql UPDATE of the same row into a conflict, and psql\'s value stays', async () => {
    const shown = await showRows('public', 'si_query_edits');
    await grid(shown.panel, 'discard', { confirm: true }); // whatever an earlier test left staged
    await grid(shown.panel, 'page', 0, 50);
    await grid(shown.panel, 'update', ['2'], 'v', 'from the grid');
    await grid(shown.panel, 'update', ['3'], 'v', 'also from the grid');
    psql("UPDATE public.si_query_edits SET v = 'from psql' WHERE id = 2");
    const outcome = await grid<{ error: string; message: string; pending: { updated: number } }>(shown.panel, 'save', { pick: 'Apply' });
    assert.equal(outcome?.error, 'Conflict', JSON.stringify(outcome));
    assert.match(outcome.message, /changed or deleted by someone else/);
    assert.equal(outcome.pending.updated, 2, 'the staged edits are kept');
    assert.deepEqual(psqlRows('SELECT id, v FROM public.si_query_edits WHERE id IN (2, 3) ORDER BY id'), [['2', 'from psql'], ['3', 'v3']], 'all or nothing: row 3 is unchanged too');
    assert.equal(await grid(shown.panel, 'discard', { confirm: true }), true);
  });

  it('truncates a huge jsonb cell and shows its whole value on request, bounded', async () => {
    const shown = await showRows('shop', 'documents');
    const page = (await grid<Page>(shown.panel, 'page', 0, 10))!;
    const big = page.rows.find((r) => r.key[0] === '1')!.cells[1] as { t: string; v: string; length: number };
    assert.equal(big.t, 'text');
    assert.equal(big.v.length, 2000);
    const bytes = Number(psql('SELECT octet_length(doc::text) FROM shop.documents WHERE id = 1').trim());
    const full = (await grid<{ t: string; v: string; length: number }>(shown.panel, 'fullCell', ['1'], 'doc'))!;
    assert.equal(full.length, bytes, 'the whole length is known');
    assert.equal(full.v.length, 1_000_000, 'the webview gets at most 1,000,000 characters; Save Value As writes all');
    assert.equal(full.v, psql('SELECT left(doc::text, 1000000) FROM shop.documents WHERE id = 1').replace(/\n$/, ''));
    assert.equal(page.rows.find((r) => r.key[0] === '2')!.cells[1], '{"small": true}');
  });

  it('streams a query: first rows at once, Fetch more continues where they ended', async () => {
    const { outcome } = await run('SELECT aid, abalance FROM pgbench_accounts ORDER BY aid');
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(outcome.rows.length, 500);
    assert.equal(outcome.more, true);
    assert.deepEqual(outcome.rows[0], [{ t: 'int', v: '1' }, { t: 'int', v: '0' }]);
    const more = await cmd<{ rows: number; more: boolean }>('pg.fetchMore');
    assert.deepEqual(more, { rows: 500, more: true });
    const shown = await cmd<{ type: string; results: { rows: Cell[][]; more: boolean }[] }>('sql.internal.results', resultsKey());
    assert.equal(shown?.type, 'results');
    assert.equal(shown.results[0]!.rows.length, 1000);
    assert.deepEqual(text(shown.results[0]!.rows[999]![0]!), '1000');
  });

  it('cancels a runaway query with a real cancel request: the server shows it gone', async () => {
    const editor = await query('SELECT pg_sleep(60) AS runaway');
    const running = cmd<Outcome>('pg.runQuery');
    const pid = (await cmd<number>('pg.internal.started', resultsKey()))!;
    // The statement reaches the server after its connection does; wait for the server to say it runs.
    const active = `SELECT count(*) FROM pg_stat_activity WHERE pid = ${pid} AND state = 'active' AND query LIKE '%pg_sleep(60)%'`;
    let polls = 0;
    while (polls < 200 && (await psqlAsync(active)) !== '1') polls++;
    assert.equal(await psqlAsync(active), '1', `the server runs it (after ${polls} look(s))`);
    assert.equal(await cmd('pg.cancelQuery'), true);
    const outcome = (await running)!;
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok && outcome.cancelled, JSON.stringify(outcome));
    assert.equal(psql("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(60) AS runaway%' AND pid <> pg_backend_pid()").trim(), '0');
    const shown = await cmd<{ type: string; failure: { message: string } }>('sql.internal.results', resultsKey());
    assert.equal(shown?.type, 'failed');
    assert.match(shown.failure.message, /cancelled/);
    assert.equal(vscode.languages.getDiagnostics(editor.document.uri).length, 0, 'a cancel is no error in the editor');
  });

  it('shows an error with its DETAIL, HINT and position, marked in the editor; the old results go', async () => {
    await run('SELECT 1 AS fine');
    const { editor, outcome } = await run('SELECT bid, bbalanc FROM pgbench_branches');
    assert.ok(!outcome.ok);
    assert.equal(outcome.diagnostics.position, 13);
    assert.match(outcome.message, /column "bbalanc" does not exist/);
    assert.match(outcome.diagnostics.hint ?? '', /bbalance/);
    assert.match(outcome.message, /HINT: .*bbalance/);
    const [d] = vscode.languages.getDiagnostics(editor.document.uri);
    assert.ok(d);
    assert.equal(editor.document.getText(d.range), 'bbalanc');
    assert.equal(editor.document.getText(editor.selection), 'bbalanc');
    const shown = await cmd<{ type: string; failure: { hint?: string; position?: number } }>('sql.internal.results', resultsKey());
    assert.equal(shown?.type, 'failed', 'the results of SELECT 1 are gone');
    assert.equal(shown.failure.position, 13);
    const dup = await run('INSERT INTO public.si_query_edits VALUES (1, \'again\')');
    assert.ok(!dup.outcome.ok);
    assert.match(dup.outcome.diagnostics.detail ?? '', /Key \(id\)=\(1\) already exists/);
    assert.match(dup.outcome.message, /DETAIL: Key \(id\)=\(1\) already exists/);
  });

  it('stops a statement at the statement timeout setting with a clear message', async () => {
    const config = vscode.workspace.getConfiguration('storageInspector');
    await config.update('pg.statementTimeoutMs', 300, vscode.ConfigurationTarget.Global);
    try {
      const { outcome } = await run('SELECT pg_sleep(20)');
      assert.ok(!outcome.ok);
      assert.match(outcome.message, /statement timeout \(300 ms\).*Raise the timeout setting/);
    } finally {
      await config.update('pg.statementTimeoutMs', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('explains, and Explain Analyze of a DELETE runs in a rolled-back transaction: the rows stay', async () => {
    const before = psql('SELECT count(*) FROM pgbench_branches').trim();
    await query('DELETE FROM pgbench_branches WHERE bid > 0');
    const plain = await cmd<{ analyzed: boolean; root: { nodeType: string } }>('pg.explainQuery');
    assert.equal(plain?.analyzed, false);
    assert.equal(plain.root.nodeType, 'ModifyTable');
    assert.equal(await cmd('pg.explainAnalyze', { confirm: false }), undefined, 'declined: nothing runs');
    const analyzed = await cmd<{ analyzed: boolean; rolledBack: boolean; root: { nodeType: string; children: { actualRows?: number; buffers?: unknown }[] } }>('pg.explainAnalyze', { confirm: true });
    assert.ok(analyzed?.analyzed);
    assert.equal(analyzed.rolledBack, true);
    assert.equal(analyzed.root.children[0]?.actualRows, Number(before));
    assert.ok(analyzed.root.children[0]?.buffers);
    assert.equal(psql('SELECT count(*) FROM pgbench_branches').trim(), before);
  });

  it('offers no edits on a read-only connection, and its queries cannot write', async () => {
    const ro = (await cmd<string>('pg.internal.addConnection', {
      name: 'query suite (read-only)', host: pg.host, port: pg.port, database: pg.db, user: pg.user, sslmode: 'verify-full', sslrootcert: pg.ca, password: pg.password, readOnly: true,
    }))!;
    try {
      const shown = (await cmd<{ panel: string; readOnly?: string }>('pg.showRows', { connectionId: ro, database: pg.db, schema: 'public', table: 'si_query_edits' }))!;
      assert.match(shown.readOnly ?? '', /read-only/);
      await grid(shown.panel, 'page', 0, 10);
      assert.equal(await grid(shown.panel, 'update', ['1'], 'v', 'nope'), undefined, 'the edit is refused');
      assert.equal(await grid(shown.panel, 'insert'), undefined);
      await cmd('pg.newQuery', { connectionId: ro, database: pg.db }, "UPDATE public.si_query_edits SET v = 'nope'");
      const outcome = (await cmd<Outcome>('pg.runQuery'))!;
      assert.ok(!outcome.ok);
      assert.match(outcome.message, /read-only/);
      assert.equal(psql("SELECT count(*) FROM public.si_query_edits WHERE v = 'nope'").trim(), '0');
    } finally {
      await cmd('pg.removeConnection', ro, { confirm: true });
    }
  });

  it('tells its query tabs when the connection is removed', async () => {
    const editor = await query('SELECT 1');
    assert.equal(await cmd('pg.removeConnection', id, { confirm: true }), true);
    assert.match(await diagnosticsMatching(editor.document.uri, /was removed/), /The connection query suite was removed/);
  });
});

describe('SQLite query editor (issue 11)', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(process.env.SI_FIXTURES ?? tmpdir(), 'sqlq-'));
  const file = path.join(dir, 'bookshop.db');
  const dbId = vscode.Uri.file(file).toString();

  before(async () => {
    await vscode.extensions.getExtension('storage-inspector.storage-inspector')!.activate();
    execFileSync('/usr/bin/sqlite3', [file, "CREATE TABLE books(id INTEGER PRIMARY KEY, title TEXT); INSERT INTO books VALUES (1, 'Dune');"]);
    await cmd('sql.openDatabase', vscode.Uri.file(file));
  });

  after(async () => {
    await closeAll();
    await cmd('sql.closeDatabase', dbId, { pick: 'Close Without Saving' });
  });

  it('names the query document after its database', async () => {
    const first = vscode.Uri.parse((await cmd<string>('sql.newQuery', dbId, 'SELECT 1;'))!);
    const second = vscode.Uri.parse((await cmd<string>('sql.newQuery', dbId, 'SELECT 2;'))!);
    assert.equal(first.scheme, 'untitled');
    assert.equal(path.basename(first.path), 'bookshop.db.sql');
    assert.equal(path.basename(second.path), 'bookshop.db (2).sql');
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'sql');
  });

  it('clears the old results when a query fails and shows the error in their place', async () => {
    await cmd('sql.newQuery', dbId, 'SELECT title FROM books;');
    await cmd('sql.runQuery');
    assert.equal((await cmd<{ type: string }>('sql.internal.results', dbId))?.type, 'results');
    await cmd('sql.newQuery', dbId, 'SELECT nope FROM books;');
    await cmd('sql.runQuery');
    const shown = await cmd<{ type: string; failure: { message: string; sql: string } }>('sql.internal.results', dbId);
    assert.equal(shown?.type, 'failed');
    assert.match(shown.failure.message, /no such column: nope/);
    assert.match(shown.failure.sql, /SELECT nope FROM books/);
  });

  it('tells the query tab when its database closes, and Reopen brings it back', async () => {
    await cmd('sql.newQuery', dbId, 'SELECT count(*) AS n FROM books;');
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(await cmd('sql.closeDatabase', dbId), true);
    assert.match(vscode.languages.getDiagnostics(doc.uri).map((d) => d.message).join('\n'), /bookshop\.db is closed/);
    const results = await cmd<{ columns: string[] }[]>('sql.runQuery', { pick: 'Reopen' });
    assert.deepEqual(results?.[0]?.columns, ['n']);
    assert.equal(vscode.languages.getDiagnostics(doc.uri).length, 0);
    report('    sqlite query tab: closed note shown, reopened and ran');
  });
});
