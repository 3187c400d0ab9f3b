import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { formatBytes } from '../../src/core/local/limits';
import type { PgNode } from '../../src/vscode/pg/nodes';
import { pg, pgSkip, psql, psqlRows } from '../support/pgServer';
import { report } from './report';

const cmd = <T>(id: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(`storageInspector.${id}`, ...args);
interface Row { node: PgNode; label: string; description?: string; contextValue?: string; tooltip?: string; children?: Row[] }
const rows = async (node?: PgNode, depth = 0) => (await cmd<Row[]>('pg.internal.rows', node, depth))!;
const find = (list: Row[] | undefined, label: string): Row => {
  const r = list?.find((x) => x.label === label);
  assert.ok(r, `"${label}" not among: ${list?.map((x) => x.label).join(', ')}`);
  return r;
};
const conn = (over: Record<string, unknown> = {}) => ({
  name: `fixtures ${Date.now()}`, host: pg.host, port: pg.port, database: pg.db, user: pg.user, sslmode: 'verify-full', sslrootcert: pg.ca, password: pg.password, ...over,
});

/** Runs `fn` and returns the error and warning messages the extension showed meanwhile (they still reach the user). */
async function shownErrors(fn: () => Thenable<unknown> | Promise<unknown>): Promise<string[]> {
  const w = vscode.window as unknown as Record<'showErrorMessage' | 'showWarningMessage', (...a: unknown[]) => unknown>;
  const originals = { showErrorMessage: w.showErrorMessage, showWarningMessage: w.showWarningMessage };
  const seen: string[] = [];
  for (const k of Object.keys(originals) as (keyof typeof originals)[]) w[k] = (...a: unknown[]) => { seen.push(String(a[0])); return originals[k].apply(vscode.window, a); };
  try { await fn(); } finally { Object.assign(w, originals); }
  return seen;
}

/**
 * pg_ctl without blocking this extension host (the tests run in it): the pool sees its connections
 * cut while the server restarts, as it would while a user looks at the tree.
 */
async function pgCtl(action: 'restart' | 'stop' | 'start'): Promise<void> {
  const ctl = [`${pg.bin}/pg_ctl`, '-D', pg.data, '-m', 'fast', '-w', action, ...(action === 'stop' ? [] : ['-l', `${pg.data}/../log`])];
  const argv = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...ctl] : ctl;
  await promisify(execFile)(argv[0]!, argv.slice(1));
}

/** One table of psql's `\d` output: columns and the footer sections (Indexes:, Check constraints:, ...). */
interface Described { columns: string[][]; sections: Map<string, string[]> }
function describe_(qualified: string): Described {
  const lines = psql(`\\d ${qualified}`, { tuples: false }).split('\n');
  const columns: string[][] = [];
  const sections = new Map<string, string[]>();
  let section: string[] | undefined;
  for (const line of lines.slice(2)) {
    if (line === '') continue;
    const head = /^([A-Z][\w -]+):( .*)?$/.exec(line);
    if (head && !line.startsWith(' ')) {
      section = [];
      sections.set(head[1]!, section);
      if (head[2]) section.push(head[2].trim());
    } else if (section) {
      // A policy spans several lines; its continuation lines are indented further.
      if (/^ {6}/.test(line) && section.length) section[section.length - 1] += ` ${line.trim()}`;
      else section.push(line.trim());
    } else columns.push(line.split('\t'));
  }
  return { columns, sections };
}

/** What the tree should say about a column, from psql's Type, Collation, Nullable and Default. */
function expectedColumn([, type, collation, nullable, def]: string[]): string {
  const parts = [type];
  if (nullable === 'not null') parts.push('not null');
  if (def && def.startsWith('generated')) parts.push(def);
  else if (def) parts.push(`default ${def}`);
  if (collation) parts.push(`collate ${collation}`);
  return parts.join(' · ').toLowerCase();
}

describe('PostgreSQL in the SQL view (real server)', function () {
  this.timeout(120_000);
  let id = '';
  let db: Row;

  before(async function () {
    if (pgSkip) this.skip();
    await vscode.extensions.getExtension('storage-inspector.storage-inspector')!.activate();
  });

  after(async () => {
    for (const c of ((vscode.workspace.getConfiguration('storageInspector').get('pg.connections') ?? []) as { id: string }[])) {
      await cmd('pg.removeConnection', c.id, { confirm: true });
    }
  });

  it('adds a connection through the test hook, keeps its password out of the settings, and lists databases and schemas', async () => {
    id = (await cmd<string>('pg.internal.addConnection', conn({ name: 'fixtures' })))!;
    assert.ok(id);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('storageInspector').get('pg.connections'));
    assert.ok(settings.includes(pg.db) && !settings.includes(pg.password), 'the settings hold the connection but not its password');
    const root = await rows(undefined, 2);
    const c = find(root, 'fixtures');
    assert.equal(c.contextValue, 'pgConnection');
    const dbs = psqlRows('SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY datname').map((r) => r[0]);
    assert.deepEqual(c.children!.map((d) => d.label), dbs);
    db = find(c.children, pg.db);
    const schemas = psqlRows(`SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY nspname`).map((r) => r[0]);
    assert.deepEqual(db.children!.filter((s) => s.node.kind === 'pgSchema').map((s) => s.label).sort(), [...schemas].sort());
    const ext = find(db.children, 'Extensions');
    const exts = psqlRows('SELECT extname, extversion FROM pg_extension ORDER BY extname');
    assert.deepEqual((await rows(ext.node)).map((e) => `${e.label} ${e.description?.split(' · ')[0]}`), exts.map(([n, v]) => `${n} ${v}`));
  });

  it('shows a schema without USAGE as an error row, and the other schemas still list', async () => {
    const secret = await rows(find(db.children, 'secret').node);
    assert.equal(secret.length, 1);
    assert.equal(secret[0]!.contextValue, 'error');
    assert.match(secret[0]!.label, /Permission denied for schema "secret".*GRANT USAGE/);
    const shop = await rows(find(db.children, 'shop').node, 1);
    assert.deepEqual(shop.map((g) => g.label), ['Tables', 'Views', 'Materialized Views', 'Sequences']);
  });

  it('shows for every fixture table the columns, constraints, indexes, triggers and policies psql\'s \\d shows', async () => {
    const tables = psqlRows(`SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('shop', 'odd schema') AND c.relkind IN ('r', 'p', 'f') ORDER BY 1, 2`);
    assert.ok(tables.length >= 14, `fixture tables: ${tables.length}`);
    const checked = { columns: 0, indexes: 0, constraints: 0, foreignKeys: 0, triggers: 0, policies: 0 };
    const groupsOf = new Map<string, Row[]>();
    for (const schema of ['shop', 'odd schema']) {
      const top = (await rows(find(db.children, schema).node, 1)).find((g) => g.label === 'Tables')!.children!;
      const all: Row[] = [];
      for (const t of top) {
        all.push(t);
        if (t.node.kind === 'pgRelation' && t.node.info.partitions?.length) {
          const groups = await rows(t.node, 1);
          all.push(...find(groups, 'Partitions').children!);
        }
      }
      groupsOf.set(schema, all);
    }
    for (const [schema, name] of tables) {
      const t = find(groupsOf.get(schema!), name!);
      const groups = await rows(t.node, 1);
      const g = (label: string) => groups.find((x) => x.label === label)?.children ?? [];
      const d = describe_(`"${schema!.replace(/"/g, '""')}"."${name!.replace(/"/g, '""')}"`);
      // Columns: type, NOT NULL, default / identity / generated, collation.
      assert.deepEqual(g('Columns').map((c) => `${c.label}: ${c.description?.toLowerCase()}`), d.columns.map((c) => `${c[0]}: ${expectedColumn(c)}`), `${name} columns`);
      checked.columns += d.columns.length;
      // Indexes: names, method, keys, INCLUDE, predicate, unique / primary, INVALID.
      const psqlIndexes = (d.sections.get('Indexes') ?? []).map((line) => {
        // psql prints the name between quotes without doubling the ones inside it.
        const m = /^"(.*?)" ((?:PRIMARY KEY, |UNIQUE CONSTRAINT, |UNIQUE, |EXCLUDE USING )?\w+ \(.*)$/.exec(line)!;
        return { name: m[1]!, rest: m[2]! };
      });
      assert.deepEqual(g('Indexes').map((i) => i.label).sort(), psqlIndexes.map((i) => i.name).sort(), `${name} indexes`);
      for (const pi of psqlIndexes) {
        const ours = find(g('Indexes'), pi.name).description ?? '';
        const shape = /(?:(PRIMARY KEY|UNIQUE CONSTRAINT|UNIQUE), )?(?:EXCLUDE USING )?(\w+) (\(.*?\))(?= INCLUDE| WITH \(| WHERE| INVALID|$)(?: INCLUDE (\(.*?\)))?(?: WITH \(.*?\))?(?: WHERE (.*?))?( INVALID)?$/.exec(pi.rest);
        assert.ok(shape, `psql index line: ${pi.rest}`);
        const [, flag, method, keys, include, where, invalid] = shape;
        if (pi.rest.startsWith('EXCLUDE')) assert.match(ours, /EXCLUSION/, pi.name);
        else assert.ok(ours.includes(`${method} ${keys}`), `${pi.name}: "${ours}" has "${method} ${keys}"`);
        if (include) assert.ok(ours.includes(`INCLUDE ${include}`), `${pi.name} INCLUDE`);
        if (where) assert.ok(ours.includes(`WHERE ${where}`), `${pi.name}: "${ours}" has "WHERE ${where}"`);
        assert.equal(ours.startsWith('INVALID'), Boolean(invalid), `${pi.name} validity`);
        if (flag === 'PRIMARY KEY') assert.match(ours, /PRIMARY KEY/);
        if (flag?.startsWith('UNIQUE')) assert.match(ours, /UNIQUE/);
        checked.indexes++;
      }
      // Constraints: CHECK expressions, FKs with columns, target, actions and deferrability, PK and UNIQUE.
      const cons = g('Constraints');
      for (const line of d.sections.get('Check constraints') ?? []) {
        const [, cname, expr] = /^"(.*?)" (CHECK .*)$/.exec(line)!;
        assert.equal(find(cons, cname!).description, expr!.replace(/ NOT VALID$/, ''), `${name}.${cname}`);
        checked.constraints++;
      }
      for (const line of d.sections.get('Foreign-key constraints') ?? []) {
        const m = /^"(.*?)" FOREIGN KEY \((.*?)\) REFERENCES (.*?)\((.*?)\)(?: ON UPDATE ([A-Z ]+?))?(?: ON DELETE ([A-Z ]+?))?( DEFERRABLE)?( INITIALLY DEFERRED)?$/.exec(line);
        assert.ok(m, `psql FK line: ${line}`);
        const [, cname, cols, target, refCols, onUpdate, onDelete, deferrable, deferred] = m;
        const want = [`(${cols}) -> ${target}(${refCols})`, `ON DELETE ${onDelete ?? 'NO ACTION'}`, `ON UPDATE ${onUpdate ?? 'NO ACTION'}`,
          ...(deferrable ? [deferred ? 'DEFERRABLE INITIALLY DEFERRED' : 'DEFERRABLE'] : [])].join(' · ');
        assert.equal(find(cons, cname!).description, want, `${name}.${cname}`);
        checked.foreignKeys++;
      }
      for (const pi of psqlIndexes.filter((i) => /^(PRIMARY KEY|UNIQUE CONSTRAINT),/.test(i.rest))) {
        const cols = /\((.*)\)$/.exec(pi.rest)![1]!.replace(/"((?:[^"]|"")*)"/g, (_, s: string) => s.replace(/""/g, '"'));
        assert.equal(find(cons, pi.name).description, `${pi.rest.startsWith('PRIMARY') ? 'PRIMARY KEY' : 'UNIQUE'} (${cols})`, `${name}.${pi.name}`);
      }
      assert.deepEqual(g('Triggers').map((x) => x.label), (d.sections.get('Triggers') ?? []).map((l) => l.split(' ')[0]), `${name} triggers`);
      checked.triggers += g('Triggers').length;
      assert.deepEqual(g('Policies').map((x) => x.label), (d.sections.get('Policies') ?? []).map((l) => /^POLICY "(.*?)"/.exec(l)![1]), `${name} policies`);
      checked.policies += g('Policies').length;
    }
    assert.ok(checked.indexes >= 25 && checked.foreignKeys >= 4 && checked.constraints >= 4 && checked.triggers >= 1 && checked.policies >= 2, JSON.stringify(checked));
    report(`    pg tree vs psql \\d: ${tables.length} tables, ${JSON.stringify(checked)}`);
  });

  it('costs the same number of catalog queries per level, whatever the number of objects', async () => {
    const sent = async () => (await cmd<{ counters: { queriesSent: number } }>('pg.internal.session', id, pg.db))!.counters.queriesSent;
    const cost = async (fn: () => Promise<unknown>) => { const before = await sent(); await fn(); return (await sent()) - before; };
    const perSchema: Record<string, number> = {};
    const perTable: Record<string, number> = {};
    for (const name of ['shop', 'public', 'odd schema']) {
      const schema = find(db.children, name);
      await cmd('pg.refresh', schema.node);
      perSchema[name] = await cost(() => rows(schema.node));
      const first = find(await rows(schema.node, 1), 'Tables').children![0]!;
      perTable[`${name}.${first.label}`] = await cost(() => rows(first.node, 1));
    }
    assert.deepEqual(new Set(Object.values(perSchema)), new Set([2]), JSON.stringify(perSchema));
    assert.deepEqual(new Set(Object.values(perTable)), new Set([5]), JSON.stringify(perTable));
    report(`    catalog queries per level: schema ${JSON.stringify(perSchema)}, table ${JSON.stringify(perTable)}`);
  });

  it('marks index kinds, partitions, foreign tables, views, materialized views and sequences', async () => {
    const shop = await rows(find(db.children, 'shop').node, 2);
    const tables = find(shop, 'Tables').children!;
    assert.match(find(tables, 'events').description ?? '', /^partitioned by range \(at\)/);
    assert.equal(find(tables, 'events').contextValue, 'pgTable.partitioned');
    assert.match(find(tables, 'remote_products').description ?? '', /foreign \(loopback\)/);
    assert.match(find(tables, 'log_lines').description ?? '', /no primary key/);
    assert.match(find(tables, 'notes').description ?? '', /RLS/);
    const parts = find(await rows(find(tables, 'events').node, 1), 'Partitions').children!;
    assert.deepEqual(parts.map((p) => `${p.label} ${p.description?.split(' · ')[0]}`), psqlRows(`SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'shop.events'::regclass ORDER BY 1`).map(([n, b]) => `${n} ${b}`));
    assert.deepEqual(find(shop, 'Views').children!.map((v) => v.label), ['paid_orders']);
    assert.deepEqual(find(shop, 'Materialized Views').children!.map((v) => v.label), ['product_counts']);
    assert.match(find(find(shop, 'Sequences').children, 'invoice_no').description ?? '', /\+10/);
    const idx = find(await rows(find(tables, 'products').node, 1), 'Indexes').children!;
    const methods = psqlRows(`SELECT DISTINCT am.amname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam WHERE x.indrelid = 'shop.products'::regclass ORDER BY 1`).map((r) => r[0]);
    assert.deepEqual(methods, ['brin', 'btree', 'gin', 'gist', 'hash', 'spgist']);
    for (const m of methods) assert.ok(idx.some((i) => i.description?.startsWith(`${m} (`)), `an index of method ${m}`);
    const invalid = find(find(await rows(find(tables, 'orders').node, 1), 'Indexes').children, 'orders_one_invalid');
    assert.equal(invalid.contextValue, 'pgIndex.invalid');
    assert.match(invalid.tooltip ?? '', /INVALID/);
    const keys = await rows(find(idx, 'products_title_btree').node);
    assert.deepEqual(keys.map((k) => k.label), ['title DESC NULLS LAST', 'price NULLS FIRST']);
    const incl = find(find(await rows(find(tables, 'customers').node, 1), 'Indexes').children, 'customers_email_lower');
    assert.deepEqual((await rows(incl.node)).map((k) => `${k.label}|${k.description}`), ['lower(email)|expression', 'name|INCLUDE']);
  });

  it('shows a table named with quotes, spaces and "; DROP TABLE x; --" with its columns, and drops nothing', async () => {
    const odd = await rows(find(db.children, 'odd schema').node, 2);
    const hostile = find(find(odd, 'Tables').children, '"; DROP TABLE x; --');
    const cols = find(await rows(hostile.node, 1), 'Columns').children!;
    assert.deepEqual(cols.map((c) => c.label), ['it\'s a "quoted" col', 'with space']);
    assert.equal(psql(`SELECT count(*) FROM "odd schema".x`).trim(), '0');
  });

  it('says which step failed for a wrong password, a server certificate from another CA, and a database that does not exist', async () => {
    const wrong = await cmd<string>('pg.internal.addConnection', conn({ name: 'wrong password', password: 'not-the-password' }));
    const badTls = await cmd<string>('pg.internal.addConnection', conn({ name: 'other CA', sslrootcert: pg.otherCa }));
    const noDb = await cmd<string>('pg.internal.addConnection', conn({ name: 'no such db', database: 'no_such_db' }));
    const root = await rows(undefined, 1);
    const err = (name: string) => {
      const c = find(root, name).children!;
      assert.equal(c.length, 1);
      assert.equal(c[0]!.contextValue, 'error');
      return c[0]!.label;
    };
    assert.match(err('wrong password'), /refused the password for si_test@127\.0\.0\.1:\d+\/si_fixtures/);
    assert.match(err('other CA'), /certificate/i);
    assert.match(err('no such db'), /database "no_such_db" does not exist/);
    for (const c of [wrong, badTls, noDb]) await cmd('pg.removeConnection', c, { confirm: true });
  });

  it('reconnects after a server restart, and shows a stopped server as an error row until it is back', async () => {
    const before = (await cmd<{ counters: { total: number; queriesSent: number } }>('pg.internal.session', id, pg.db))!;
    assert.ok(before.counters.total >= 1);
    await pgCtl('restart');
    // The pooled connections were cut: the next read reconnects (and retries the catalog query once).
    await cmd('pg.refresh', db.node);
    const again = await rows(find(db.children, 'shop').node);
    assert.equal(again[0]?.label, 'Tables');
    await pgCtl('stop');
    try {
      await cmd('pg.refresh', db.node);
      const down = await rows(db.node);
      assert.equal(down.length, 1);
      assert.equal(down[0]!.contextValue, 'error');
      assert.match(down[0]!.label, /127\.0\.0\.1/);
    } finally {
      await pgCtl('start');
    }
    await cmd('pg.refresh', db.node);
    assert.ok((await rows(db.node)).some((s) => s.label === 'shop'));
  });

  it('sets default_transaction_read_only on a read-only connection', async () => {
    const ro = (await cmd<string>('pg.internal.addConnection', conn({ name: 'read-only', readOnly: true })))!;
    const root = await rows(undefined);
    assert.equal(find(root, 'read-only').contextValue, 'pgConnection.readOnly');
    const s = (await cmd<{ readOnly: boolean }>('pg.internal.session', ro))!;
    assert.equal(s.readOnly, true);
    await cmd('pg.removeConnection', ro, { confirm: true });
  });

  it('adds connections through the wizard: host and port with a CA file, a URI with its password, a service, and ~/.pgpass', async () => {
    const dir = mkdtempSync(path.join(process.env.SI_FIXTURES ?? tmpdir(), 'pg-'));
    const hostSteps = [{ pick: 'Host and port' }, { text: pg.host }, { text: String(pg.port) }, { text: pg.db }, { text: pg.user }, { pick: 'verify-full' }, { text: pg.ca },
      { text: pg.password }, { text: 'wizard host' }];
    const byHost = (await cmd<string>('pg.addConnection', { steps: hostSteps }))!;
    const uri = `postgres://${pg.user}:${encodeURIComponent(pg.password)}@${pg.host}:${pg.port}/${pg.db}?sslmode=verify-full&sslrootcert=${encodeURIComponent(pg.ca)}`;
    const byUri = (await cmd<string>('pg.addConnection', { steps: [{ pick: 'Connection URI (postgres://...)' }, { text: uri }, { text: 'wizard uri' }] }))!;
    const serviceFile = path.join(dir, 'pg_service.conf');
    writeFileSync(serviceFile, `[si_fixtures_svc]\nhost=${pg.host}\nport=${pg.port}\ndbname=${pg.db}\nuser=${pg.user}\nsslmode=verify-full\nsslrootcert=${pg.ca}\n`);
    const passFile = path.join(dir, 'pgpass');
    writeFileSync(passFile, `${pg.host}:${pg.port}:*:${pg.user}:${pg.password.replace(/[:\\]/g, '\\$&')}\n`);
    chmodSync(passFile, 0o600);
    const saved = { PGSERVICEFILE: process.env.PGSERVICEFILE, PGPASSFILE: process.env.PGPASSFILE };
    process.env.PGSERVICEFILE = serviceFile;
    process.env.PGPASSFILE = passFile;
    try {
      // No password typed: the service gives the server, ~/.pgpass (PGPASSFILE) the password, as with libpq.
      const bySvc = (await cmd<string>('pg.addConnection', { steps: [{ pick: 'Service from pg_service.conf' }, { text: 'si_fixtures_svc' }, { text: '' }, { text: 'wizard service' }] }))!;
      const svc = (await cmd<{ describe: string }>('pg.internal.session', bySvc))!;
      assert.match(svc.describe, /service=si_fixtures_svc, password from pgpass/);
      await cmd('pg.removeConnection', bySvc, { confirm: true });
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    const settings = (vscode.workspace.getConfiguration('storageInspector').get('pg.connections') ?? []) as Record<string, unknown>[];
    assert.deepEqual(settings.find((c) => c.id === byHost), { id: byHost, name: 'wizard host', host: pg.host, port: pg.port, database: pg.db, user: pg.user, sslmode: 'verify-full', sslrootcert: pg.ca });
    assert.ok(!JSON.stringify(settings).includes(pg.password), 'no password in the settings');
    for (const c of [byHost, byUri]) {
      assert.match((await cmd<{ describe: string }>('pg.internal.session', c))!.describe, /sslmode=verify-full, password from secret storage/);
      await cmd('pg.removeConnection', c, { confirm: true });
    }
    // A wrong answer is refused with what to type, before anything is saved.
    const errors = await shownErrors(() => cmd('pg.addConnection', { steps: [{ pick: 'Host and port' }, { text: pg.host }, { text: '99999' }] }));
    assert.deepEqual(errors, ['A port is a number from 1 to 65535']);
  });

  it('shows table, index and database statistics as psql reads them, with unused and duplicate index hints', async () => {
    const shop = await rows(find(db.children, 'shop').node, 2);
    const tables = find(shop, 'Tables').children!;
    const products = find(tables, 'products');
    const text = (await cmd<string>('pg.showStatistics', products.node, { open: false }))!;
    const [total, idx] = psqlRows(`SELECT pg_total_relation_size('shop.products'), pg_indexes_size('shop.products')`)[0]!;
    assert.match(text, new RegExp(`\\| Total size +\\| ${formatBytes(Number(total))} +\\|`));
    assert.match(text, new RegExp(`\\| Index size +\\| ${formatBytes(Number(idx))} +\\|`));
    const line = (name: string) => text.split('\n').find((l) => l.startsWith(`| ${name} `)) ?? '';
    for (const [name, scans] of psqlRows(`SELECT indexrelname, idx_scan FROM pg_stat_user_indexes WHERE relname = 'products' ORDER BY 1`)) {
      assert.ok(line(name!), `${name} in the index table`);
      assert.match(line(name!), new RegExp(`\\| ${scans} +\\|`), `${name} scans`);
      assert.equal(/\| unused +\|$/.test(line(name!)), scans === '0' && !/pkey|unique/.test(name!), `${name}: ${line(name!)}`);
    }
    assert.doesNotMatch(line('products_title_btree'), /duplicate/, 'DESC NULLS LAST keys are no duplicate of ASC ones');
    const orders = await rows(find(tables, 'orders').node, 1);
    const dup = (await cmd<string>('pg.showStatistics', find(find(orders, 'Indexes').children, 'orders_customer_dup').node, { open: false }))!;
    assert.match(dup, /duplicate of orders_customer \(same table, method, keys and predicate\)/);
    const dbText = (await cmd<string>('pg.showStatistics', db.node, { open: true }))!;
    const max = psql('SHOW max_connections').trim();
    assert.match(dbText, new RegExp(`\\| Connections in use / max_connections +\\| \\d+ / ${max} `));
    assert.match(dbText, /\| Cache hit ratio +\| \d+\.\d\d % +\|/);
    assert.match(dbText, new RegExp(`\\| ${pg.db} +\\| \\d+ +\\| \\d+ +\\| 0 +\\| 5 +\\| [\\d,]+ +\\|`), 'our pool counters');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
    assert.ok(tabs.includes('si_fixtures statistics.md'), `the statistics open in a tab (tabs: ${tabs.join(', ')})`);
    report(`    statistics tabs: ${tabs.join(', ')}`);
    const pools = (await cmd<string>('pg.showPoolStatistics', id, { open: false }))!;
    assert.equal(pools.split('\n').filter((l) => new RegExp(`^\\| ${pg.db} +\\|`).test(l)).length, 1, `one pool for the connection's own database:\n${pools}`);
    for (const t of [text, dup, dbText, pools]) assert.ok(!t.includes(pg.password));
  });

  it('creates an index concurrently on the 1,000,000-row table, cancels another mid-build (INVALID), and drops it confirmed by name', async () => {
    const pub = await rows(find(db.children, 'public').node, 2);
    const accounts = find(find(pub, 'Tables').children, 'pgbench_accounts');
    assert.equal(psql('SELECT count(*) FROM pgbench_accounts').trim(), '1000000');
    psql('DROP INDEX IF EXISTS accounts_bid_zero, accounts_md5'); // left by an earlier run that failed half-way
    const made = (await cmd<{ name: string; phases: string[] }>('pg.createIndex', accounts.node,
      { spec: { name: 'accounts_bid_zero', method: 'btree', keys: [{ column: 'bid' }, { column: 'aid', descending: true }], where: 'abalance = 0', concurrently: true }, confirm: true }))!;
    assert.equal(made.name, 'accounts_bid_zero');
    assert.deepEqual(psqlRows(`SELECT indisvalid, pg_get_indexdef(indexrelid) FROM pg_index WHERE indexrelid = 'accounts_bid_zero'::regclass`),
      [['t', 'CREATE INDEX accounts_bid_zero ON public.pgbench_accounts USING btree (bid, aid DESC) WHERE (abalance = 0)']]);
    const shown = find(find(await rows(accounts.node, 1), 'Indexes').children, 'accounts_bid_zero');
    assert.match(shown.description ?? '', /^btree \(bid, aid DESC\) · WHERE abalance = 0 ·/);
    // Cancel mid-build: the CONCURRENTLY build leaves an INVALID index, which the tree marks.
    const errors = await shownErrors(async () => {
      const building = cmd('pg.createIndex', accounts.node, { spec: { name: 'accounts_md5', method: 'btree', keys: [{ expression: 'md5(filler || aid::text)' }], concurrently: true }, confirm: true });
      assert.equal(await cmd('pg.internal.cancelIndexBuild'), true);
      assert.equal(await building, undefined);
    });
    assert.deepEqual(errors, ['The index build was cancelled. It left an INVALID index "accounts_md5" behind, which queries do not use but writes still maintain: drop it (Drop Index).']);
    assert.equal(psql(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'accounts_md5'::regclass`).trim(), 'f');
    const invalid = find(find(await rows(accounts.node, 1), 'Indexes').children, 'accounts_md5');
    assert.equal(invalid.contextValue, 'pgIndex.invalid');
    report(`    index build on 1,000,000 rows: phases ${made.phases.join(' > ')}`);
    // Drop: a wrong name drops nothing; the right one drops it.
    assert.equal(await cmd('pg.dropIndex', invalid.node, { pick: 'Drop Concurrently', text: 'accounts' }), undefined);
    assert.equal(psql(`SELECT count(*) FROM pg_class WHERE relname = 'accounts_md5'`).trim(), '1');
    assert.equal(await cmd('pg.dropIndex', invalid.node, { pick: 'Drop Concurrently', text: 'accounts_md5' }), true);
    assert.equal(await cmd('pg.dropIndex', shown.node, { pick: 'Drop Now', text: 'accounts_bid_zero' }), true);
    assert.equal(psql(`SELECT count(*) FROM pg_class WHERE relname IN ('accounts_md5', 'accounts_bid_zero')`).trim(), '0');
    assert.ok(!(await rows(find(await rows(accounts.node, 1), 'Indexes').node)).some((i) => i.label.startsWith('accounts_')));
  });

  it('creates an index through the Create Index wizard: keys with an expression and order, a partial predicate', async () => {
    psql('DROP INDEX IF EXISTS shop.products_wizard_idx');
    const tables = find(await rows(find(db.children, 'shop').node, 1), 'Tables').children!;
    const products = find(tables, 'products');
    const steps = [{ pick: 'btree' }, { text: 'title, lower(sku) DESC' }, { text: '' }, { pick: 'Not unique' }, { text: 'price < 50' },
      { pick: 'Now (locks writes to the table while it builds)' }, { text: 'products_wizard_idx' }];
    assert.equal((await cmd<{ name: string }>('pg.createIndex', products.node, { steps, confirm: true }))?.name, 'products_wizard_idx');
    assert.equal(psql(`SELECT pg_get_indexdef('shop.products_wizard_idx'::regclass)`).trim(),
      'CREATE INDEX products_wizard_idx ON shop.products USING btree (title, lower(sku) DESC) WHERE (price < (50)::numeric)');
    const idx = find(find(await rows(products.node, 1), 'Indexes').children, 'products_wizard_idx');
    assert.deepEqual((await rows(idx.node)).map((k) => `${k.label}|${k.description}`), ['title|', 'lower(sku) DESC|expression']);
    assert.equal(await cmd('pg.dropIndex', idx.node, { pick: 'Drop Now', text: 'products_wizard_idx' }), true);
    assert.equal(psql(`SELECT count(*) FROM pg_class WHERE relname = 'products_wizard_idx'`).trim(), '0');
  });

  it('marks a connection read-only and back, and edits it, each time with a new session', async () => {
    const c = (await cmd<string>('pg.internal.addConnection', conn({ name: 'to edit' })))!;
    assert.equal((await cmd<{ readOnly: boolean }>('pg.internal.session', c))!.readOnly, false);
    await cmd('pg.markReadOnly', c);
    assert.equal(find(await rows(undefined), 'to edit').contextValue, 'pgConnection.readOnly');
    assert.equal((await cmd<{ readOnly: boolean }>('pg.internal.session', c))!.readOnly, true);
    await cmd('pg.markReadWrite', c);
    assert.equal((await cmd<{ readOnly: boolean }>('pg.internal.session', c))!.readOnly, false);
    // Edit: the same fields but another database; an empty password keeps the stored one.
    const steps = [{ pick: 'Host and port' }, { text: pg.host }, { text: String(pg.port) }, { text: 'postgres' }, { text: pg.user }, { pick: 'verify-full' }, { text: pg.ca },
      { text: '' }, { text: 'edited' }];
    assert.equal(await cmd('pg.editConnection', c, { steps }), c);
    assert.match((await cmd<{ where: string }>('pg.internal.session', c))!.where, /\/postgres$/);
    assert.deepEqual((await rows(undefined)).filter((r) => r.label === 'edited' || r.label === 'to edit').map((r) => r.label), ['edited']);
    assert.equal(await cmd('pg.removeConnection', c, { confirm: false }), false, 'declined: kept');
    assert.equal(await cmd('pg.removeConnection', c, { confirm: true }), true);
    assert.ok(!(await rows(undefined)).some((r) => r.label === 'edited'));
  });

  it('refuses a write on a read-only connection with the server\'s reason, and changes nothing', async () => {
    const ro = (await cmd<string>('pg.internal.addConnection', conn({ name: 'read-only writes', readOnly: true })))!;
    const c = find(await rows(undefined, 1), 'read-only writes');
    const fixtures = find(c.children, pg.db);
    const tables = find(await rows(find(await rows(fixtures.node), 'shop').node, 1), 'Tables').children!;
    const products = find(tables, 'products');
    assert.equal(products.contextValue, 'pgTable.readOnly');
    const idx = find(find(await rows(products.node, 1), 'Indexes').children, 'products_cheap');
    const errors = await shownErrors(async () => {
      assert.equal(await cmd('pg.createIndex', products.node, { spec: { name: 'ro_attempt', keys: [{ column: 'title' }] }, confirm: true }), undefined);
      assert.equal(await cmd('pg.dropIndex', idx.node, { pick: 'Drop Now', text: 'products_cheap' }), undefined);
    });
    assert.equal(errors.length, 2);
    for (const e of errors) assert.match(e, /read-only transaction: this connection is read-only\. Edit it to allow changes/);
    assert.equal(psql(`SELECT count(*) FROM pg_class WHERE relname IN ('ro_attempt', 'products_cheap')`).trim(), '1');
    await cmd('pg.removeConnection', ro, { confirm: true });
  });
});
