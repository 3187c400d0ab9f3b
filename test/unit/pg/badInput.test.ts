import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isStorageError, type StorageError } from '../../../src/core/errors';
import { listRelations, listSchemas } from '../../../src/core/pg/catalog';
import { applyChanges } from '../../../src/core/pg/edits';
import { QueryRun } from '../../../src/core/pg/queryRun';
import type { PgSession } from '../../../src/core/pg/session';
import { databaseStats, indexStats, tableStats } from '../../../src/core/pg/stats';
import { TableGrid } from '../../../src/core/pg/tableGrid';
import { recordFault } from '../../support/faultLedger';
import { openSession, pg, pgSkip, psql, restartServer, serverCtl } from '../../support/pgServer';
import { freePort } from '../../support/freePort';

const fails = (code: string, re: RegExp) => (e: unknown) => {
  assert.ok(isStorageError(e), String(e));
  assert.equal((e as StorageError).code, code, (e as Error).message);
  assert.match((e as Error).message, re);
  assert.doesNotMatch((e as Error).message, /si-canary-pg/, 'no password in the message');
  return true;
};


describe('PostgreSQL bad input gets a clear error and changes nothing', { skip: pgSkip }, () => {
  let s: PgSession;
  before(async () => { s = await openSession(); });
  after(() => s?.close());

  it('a wrong password', async () => {
    await assert.rejects(openSession({}, {}, 'not-the-password'), fails('WrongKey', /refused the password for si_test@127\.0\.0\.1:\d+\/si_fixtures/));
  });

  it('a server that is down answers within the timeout', async () => {
    const t0 = Date.now();
    await assert.rejects(openSession({}, { port: await freePort() }), fails('Unavailable', /Nothing answers at .*is the server running/));
    assert.ok(Date.now() - t0 < 5000);
  });

  it('TLS: a CA that did not sign the server certificate, and a host name the certificate does not name', async () => {
    await assert.rejects(openSession({}, { sslrootcert: pg.otherCa }), fails('Integrity', /TLS certificate .* could not be verified/));
    await assert.rejects(openSession({}, { host: 'localhost' }), fails('Integrity', /could not be verified.*(localhost|altnames|IP)/s));
    const ca = await openSession({}, { host: 'localhost', sslmode: 'verify-ca' });
    const [row] = await ca.query(`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`);
    assert.equal(row?.ssl, true, 'verify-ca checks the chain only, and the connection is encrypted');
    await ca.close();
  });

  it('a server restart mid-session: the pool reconnects', async () => {
    assert.equal((await s.query('SELECT 1 AS one'))[0]?.one, 1);
    restartServer();
    const rows = await s.query<{ n: string }>('SELECT count(*) AS n FROM shop.customers', [], { retry: true });
    assert.ok(Number(rows[0]!.n) >= 3);
    const g = await TableGrid.open(s, 'shop', 'products');
    assert.equal((await g.page({ offset: 0, limit: 10 })).rows.length, 3);
    recordFault({ suite: 'pg.session', fault: 'server-restart', operations: 3, bytesLost: 0 });
  });

  it('a server stopped mid-session is Unavailable, and the same session works once it is back', async () => {
    const g = await TableGrid.open(s, 'shop', 'customers');
    serverCtl('stop');
    try {
      const t0 = Date.now();
      await assert.rejects(g.page({ offset: 0, limit: 5 }), fails('Unavailable', /Nothing answers at|closed by the server/));
      await assert.rejects(listSchemas(s), fails('Unavailable', /Nothing answers at|closed by the server/));
      assert.ok(Date.now() - t0 < 5000, 'fails fast');
    } finally { serverCtl('start'); }
    assert.ok((await g.page({ offset: 0, limit: 5 })).rows.length >= 3);
    recordFault({ suite: 'pg.session', fault: 'server-stopped', operations: 3, bytesLost: 0 });
  });

  it('permission denied on a schema is an error of that schema only', async () => {
    assert.ok((await listSchemas(s)).some((x) => x.name === 'secret' && !x.usable));
    await assert.rejects(listRelations(s, 'secret'), fails('NoPermission', /Permission denied for schema "secret"/));
    await assert.rejects(TableGrid.open(s, 'secret', 'hidden'), fails('NoPermission', /Permission denied to read "secret"."hidden"/));
    await assert.rejects(s.query('SELECT * FROM secret.hidden'), fails('NoPermission', /permission denied for schema secret\. Ask the owner/));
  });

  it('a write on a read-only connection is refused, and nothing changes', async () => {
    const ro = await openSession({ readOnly: true });
    try {
      assert.equal((await ro.query('SHOW default_transaction_read_only'))[0]?.default_transaction_read_only, 'on');
      const { first } = await QueryRun.start(ro, 'SELECT sku FROM shop.products ORDER BY sku');
      assert.deepEqual(first.rows.map((r) => r[0]), ['A-1', 'B-2', 'C-3'], 'reads work');
      const g = await TableGrid.open(ro, 'shop', 'products');
      const [row] = (await g.page({ offset: 0, limit: 1 })).rows;
      const before = psql(`SELECT title FROM shop.products WHERE sku = 'A-1'`).trim();
      await assert.rejects(applyChanges(ro, g, [{ op: 'update', key: row!.key, version: row!.version, values: { title: 'changed' } }]), fails('NoPermission', /read-only/));
      await assert.rejects(QueryRun.start(ro, `DELETE FROM shop.products`), fails('NoPermission', /read-only/));
      // A user statement cannot lift it: queries run inside BEGIN READ ONLY after a first statement.
      await assert.rejects(QueryRun.start(ro, `SET TRANSACTION READ WRITE`), fails('BadInput', /read-write mode must be set before any query/));
      assert.equal(psql(`SELECT title FROM shop.products WHERE sku = 'A-1'`).trim(), before);
    } finally { await ro.close(); }
  });

  it('statistics: per table, per index with hints, per database with the pool, and a missing extension marked', async () => {
    const [acc] = await tableStats(s, 'public', 'pgbench_accounts');
    assert.equal(acc!.totalBytes, Number(psql(`SELECT pg_total_relation_size('public.pgbench_accounts')`).trim()));
    assert.equal(acc!.estimatedRows, 1_000_000);
    const idx = await indexStats(s, 'shop', 'orders');
    assert.deepEqual(idx.find((i) => i.index === 'orders_customer')?.duplicateOf, ['orders_customer_dup']);
    assert.equal(idx.find((i) => i.index === 'orders_customer_dup')?.unused, true);
    // (title DESC NULLS LAST, price NULLS FIRST) sorts otherwise than the UNIQUE (title, price): no duplicate.
    assert.deepEqual((await indexStats(s, 'shop', 'products')).find((i) => i.index === 'products_title_btree')?.duplicateOf, []);
    assert.equal(idx.find((i) => i.index === 'orders_pkey')?.unused, false, 'a key index is needed even unscanned');
    const db = await databaseStats(s);
    assert.ok(db.activity.ok && db.connections.ok && db.connections.value.max === 60);
    assert.ok(db.topStatements.ok, 'pg_stat_statements is installed in si_fixtures');
    assert.ok(db.pool.total >= 1 && db.pool.max === 5);
    const other = await openSession({}, { database: 'postgres' });
    try {
      const st = await databaseStats(other);
      assert.ok(!st.topStatements.ok && /pg_stat_statements is not available here: the extension is not installed/.test(st.topStatements.reason));
      assert.ok(st.activity.ok, 'the rest still shows');
    } finally { await other.close(); }
  });
});
