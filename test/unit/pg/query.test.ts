import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { createIndex, dropIndex } from '../../../src/core/pg/indexBuild';
import { PgError } from '../../../src/core/pg/pgError';
import { explain, parsePlan } from '../../../src/core/pg/plan';
import { QueryRun } from '../../../src/core/pg/queryRun';
import type { PgSession } from '../../../src/core/pg/session';
import { openSession, pgSkip, psql } from '../../support/pgServer';

describe('PostgreSQL queries, plans and index builds', { skip: pgSkip }, () => {
  let s: PgSession;
  before(async () => { s = await openSession(); });
  after(() => s?.close());

  it('streams a 1,000,000-row result: first rows at once, memory bounded, "fetch more" to the end', async () => {
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    const { run, first } = await QueryRun.start(s, 'SELECT * FROM pgbench_accounts ORDER BY aid', 500);
    assert.equal(first.rows.length, 500);
    assert.deepEqual(run.columns.map((c) => c.name), ['aid', 'bid', 'abalance', 'filler']);
    assert.ok(run.firstRowsMs < 2000, `first rows after ${run.firstRowsMs.toFixed(0)} ms`);
    let peak = 0;
    let last = first;
    while (!last.done) {
      last = await run.more(5000);
      peak = Math.max(peak, process.memoryUsage().rss - rss0);
    }
    assert.equal(run.rowsRead, 1_000_000);
    assert.ok(peak < 64 * 1024 * 1024, `RSS grew by ${(peak / 1048576).toFixed(1)} MB`);
  });

  it('cancel sends a real cancel: the runaway query is gone from pg_stat_activity', async () => {
    const run = await QueryRun.open(s, 'SELECT pg_sleep(60), 1 AS runaway_marker');
    const outcome = run.more(100).then(() => undefined, (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300));
    const active = () => psql(`SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%runaway_marker%' AND pid <> pg_backend_pid()`).trim();
    assert.equal(active(), '1');
    assert.equal(psql(`SELECT pid FROM pg_stat_activity WHERE query LIKE '%runaway_marker%' AND pid <> pg_backend_pid()`).trim(), String(run.pid));
    const t0 = Date.now();
    await run.cancel();
    const e = await outcome;
    assert.ok(isStorageError(e) && e.code === 'Cancelled' && /cancelled/.test(e.message), String(e));
    assert.ok(Date.now() - t0 < 2000, 'cancelled at once, not after 60 s');
    assert.equal(active(), '0');
  });

  it('a statement timeout stops a statement with a clear message', async () => {
    const t = await openSession({ statementTimeoutMs: 200 });
    try {
      await assert.rejects(t.query('SELECT pg_sleep(5)'), (e) => isStorageError(e) && /ran longer than the statement timeout \(200 ms\)/.test(e.message));
    } finally { await t.close(); }
  });

  it('errors carry the server message, DETAIL, HINT and position', async () => {
    await assert.rejects(QueryRun.start(s, 'SELECT * FROM no_such_table'), (e) => e instanceof PgError && e.code === 'NotFound' && e.diagnostics.position === 15 && /relation "no_such_table" does not exist/.test(e.message));
    await assert.rejects(s.query(`INSERT INTO shop.orders (customer_id) VALUES (999)`), (e) => e instanceof PgError && e.code === 'Integrity' && /DETAIL: Key \(customer_id\)=\(999\) is not present/.test(e.message));
    await assert.rejects(s.query(`SELECT lenght('x')`), (e) => e instanceof PgError && /HINT: No function matches/.test(e.message) && e.diagnostics.hint !== undefined);
  });

  it('EXPLAIN ANALYZE of a DELETE shows the plan and leaves the rows', async () => {
    const before = psql('SELECT count(*) FROM pgbench_accounts WHERE aid <= 1000').trim();
    const plan = await explain(s, 'DELETE FROM pgbench_accounts WHERE aid <= 1000', true);
    assert.equal(plan.analyzed, true);
    assert.equal(plan.rolledBack, true);
    assert.equal(plan.root.nodeType, 'ModifyTable');
    assert.equal(plan.root.relation, 'pgbench_accounts');
    assert.ok(plan.root.children[0]?.index === 'pgbench_accounts_pkey');
    assert.ok(plan.root.buffers && plan.root.buffers.sharedHit + plan.root.buffers.sharedRead > 0);
    assert.equal(psql('SELECT count(*) FROM pgbench_accounts WHERE aid <= 1000').trim(), before);
    const p2 = await explain(s, 'SELECT count(*) FROM generate_series(1, 100000) g');
    assert.equal(p2.analyzed, false);
  });

  it('marks misestimates of 10x and more and the slowest node', async () => {
    // bid and aid are correlated (aid > 900000 only has bid 10): the planner expects about 10,000 rows, there are none.
    const plan = await explain(s, 'SELECT * FROM pgbench_accounts WHERE bid = 1 AND aid > 900000', true);
    const fn = plan.root;
    assert.ok((fn.misestimate ?? 0) >= 10, `estimated ${fn.estimatedRows}, got ${fn.actualRows}`);
    const marked: string[] = [];
    const walk = (n: typeof plan.root) => { if (n.slow) marked.push(n.nodeType); n.children.forEach(walk); };
    walk(plan.root);
    assert.ok(marked.length >= 1);
    const fixed = parsePlan(JSON.stringify([{ Plan: { 'Node Type': 'Hash Join', 'Plan Rows': 10, 'Actual Rows': 10, 'Actual Loops': 1, 'Actual Total Time': 100,
      Plans: [{ 'Node Type': 'Seq Scan', 'Plan Rows': 5, 'Actual Rows': 500, 'Actual Loops': 1, 'Actual Total Time': 90 }] }, 'Execution Time': 100 }]));
    assert.equal(fixed.root.children[0]!.misestimate, 100);
    assert.equal(fixed.root.children[0]!.slow, true);
    assert.equal(fixed.root.slow, false, '10 ms of 100 is not slow');
    assert.equal(fixed.root.selfMs, 10);
  });

  it('creates an index with progress, and drops it', async () => {
    const seen: string[] = [];
    const b = await createIndex(s, { schema: 'public', table: 'pgbench_accounts', name: 'si_abalance', method: 'btree', keys: [{ column: 'abalance' }, { expression: 'bid % 7' }] }, (p) => seen.push(p.phase), 20);
    await b.done;
    assert.ok(seen.length > 0, 'progress was reported');
    assert.equal(psql(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.si_abalance'::regclass`).trim(), 't');
    await dropIndex(s, 'public', 'si_abalance', true);
    assert.equal(psql(`SELECT count(*) FROM pg_class WHERE relname = 'si_abalance'`).trim(), '0');
  });

  // Another session's open transaction holds the build at a known step, so each cancel lands where the test says.
  const held = async (lock: string) => {
    const other = await openSession();
    const c = await other.client();
    await c.query('BEGIN');
    await c.query(lock);
    return { release: async () => { await c.query('ROLLBACK'); c.release(); await other.close(); } };
  };
  const waitUntil = async (what: string, ok: () => boolean) => {
    for (let i = 0; !ok(); i++) {
      if (i > 600) throw new Error(`never saw: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('a CONCURRENTLY build cancelled after it entered the catalog leaves an INVALID index, and the message names it', async () => {
    // A writer's open transaction: the build adds its index (INVALID), commits, then waits for that writer.
    const writer = await held('UPDATE pgbench_accounts SET abalance = abalance WHERE aid = 1');
    try {
      const phases: string[] = [];
      const c = await createIndex(s, { schema: 'public', table: 'pgbench_accounts', name: 'si_cancelled', method: 'hash', keys: [{ column: 'filler' }], concurrently: true }, (p) => phases.push(p.phase), 20);
      await waitUntil('the build waiting for writers', () => phases.includes('waiting for writers before build'));
      await c.cancel();
      await assert.rejects(c.done, (e) => isStorageError(e) && e.code === 'Cancelled' && /left an INVALID index "si_cancelled" behind/.test(e.message));
    } finally { await writer.release(); }
    assert.equal(psql(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.si_cancelled'::regclass`).trim(), 'f');
    await dropIndex(s, 'public', 'si_cancelled');
  });

  it('a CONCURRENTLY build cancelled while it waits for the table\'s lock leaves no index, and says so', async () => {
    const locker = await held('LOCK TABLE pgbench_accounts IN SHARE UPDATE EXCLUSIVE MODE');
    try {
      const c = await createIndex(s, { schema: 'public', table: 'pgbench_accounts', name: 'si_never', method: 'btree', keys: [{ column: 'filler' }], concurrently: true }, () => undefined, 20);
      await waitUntil('the build waiting for the lock', () => psql(`SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'CREATE INDEX CONCURRENTLY "si_never"%'`).trim() === '1');
      await c.cancel();
      await assert.rejects(c.done, (e) => isStorageError(e) && e.code === 'Cancelled' && /before it created "si_never": no index was left behind/.test(e.message) && !/INVALID/.test(e.message));
    } finally { await locker.release(); }
    assert.equal(psql(`SELECT count(*) FROM pg_class WHERE relname = 'si_never'`).trim(), '0');
  });
});

