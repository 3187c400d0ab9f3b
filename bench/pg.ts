// PostgreSQL bench, run inside scripts/pg.sh's cluster: schema levels for 1,000 tables / 3,000
// indexes vs psql's \d+, grid page at row 999,900 vs row 0 of pgbench_accounts, and a 1,000,000-row
// query's time to first rows and RSS growth. BENCH_QUICK=1 uses 100 tables.
import { execFileSync } from 'node:child_process';
import { listRelations } from '../src/core/pg/catalog';
import { resolveConnection } from '../src/core/pg/config';
import { QueryRun } from '../src/core/pg/queryRun';
import { PgSession } from '../src/core/pg/session';
import { TableGrid } from '../src/core/pg/tableGrid';
import { tableDetails } from '../src/core/pg/tableDetails';
import { line, median } from './report';

const e = process.env;
if (!e.SI_PG_PORT) { console.log('pg: skipped (run under scripts/pg.sh run)'); process.exit(0); }
const port = Number(e.SI_PG_PORT);
const TABLES = e.BENCH_QUICK ? 100 : 1000;
const rounds = 5;
const MB = 1024 * 1024;

function psql(db: string, sql: string, admin = false): string {
  return execFileSync(`${e.SI_PG_BIN}/psql`, ['-X', '-q', '-A', '-t', '-h', '127.0.0.1', '-p', String(port), '-U', admin ? 'postgres' : 'si_test', '-d', db, '-c', sql],
    { env: { ...e, PGPASSWORD: admin ? e.SI_PG_ADMIN_PASSWORD : e.SI_PG_PASSWORD, PGSSLMODE: 'disable' }, encoding: 'utf8', maxBuffer: 256 * MB });
}

async function session(db: string): Promise<PgSession> {
  const { conn, password } = resolveConnection({ params: { host: '127.0.0.1', port, database: db, user: 'si_test', sslmode: 'verify-full', sslrootcert: e.SI_PG_CA }, password: e.SI_PG_PASSWORD });
  return PgSession.open(conn, password);
}

async function time(f: () => Promise<unknown> | unknown): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < rounds; i++) { const t = performance.now(); await f(); xs.push(performance.now() - t); }
  return median(xs);
}

function buildSchema(schema: string, n: number): void {
  psql('si_fixtures', `CREATE SCHEMA IF NOT EXISTS ${schema}`);
  // 100 tables per transaction keeps the locks under max_locks_per_transaction.
  for (let from = 1; from <= n; from += 100) {
    psql('si_fixtures', `DO $$ BEGIN FOR i IN ${from}..${Math.min(n, from + 99)} LOOP
      EXECUTE format('CREATE TABLE IF NOT EXISTS ${schema}.t%s (id int PRIMARY KEY, a int NOT NULL DEFAULT 0, b text, c timestamptz CHECK (c > ''2000-01-01''))', i);
      EXECUTE format('CREATE INDEX IF NOT EXISTS t%s_a ON ${schema}.t%s (a)', i, i);
      EXECUTE format('CREATE INDEX IF NOT EXISTS t%s_ba ON ${schema}.t%s (b, a DESC) WHERE a > 0', i, i);
    END LOOP; END $$`);
  }
}

async function main(): Promise<void> {
const s = await session('si_fixtures');
console.log(`building ${TABLES} tables with ${TABLES * 3} indexes, and 10 tables with 30`);
buildSchema('bench_many', TABLES);
buildSchema('bench_few', 10);

for (const [schema, n] of [['bench_few', 10], ['bench_many', TABLES]] as const) {
  let q0 = s.queriesSent;
  const tables = await time(() => listRelations(s, schema));
  const tablesQueries = (s.queriesSent - q0) / rounds;
  q0 = s.queriesSent;
  const details = await time(() => tableDetails(s, schema));
  const detailQueries = (s.queriesSent - q0) / rounds;
  const psqlAll = await time(() => psql('si_fixtures', `\\d+ ${schema}.*`));
  const listOnly = await time(() => psql('si_fixtures', `\\dt+ ${schema}.*`));
  line(`schema ${n} tables: tables level`, `${tables.toFixed(1)} ms, ${tablesQueries} query`, `psql \\dt+ ${listOnly.toFixed(1)} ms`, tables <= 2 * listOnly ? 'within 2x' : 'over 2x');
  line(`schema ${n} tables: columns+constraints+indexes+triggers+policies of all`, `${details.toFixed(1)} ms, ${detailQueries} queries`, `psql \\d+ ${schema}.* ${psqlAll.toFixed(1)} ms`, details <= 2 * psqlAll ? 'within 2x' : 'over 2x');
}

const g = await TableGrid.open(s, 'public', 'pgbench_accounts');
const cold = performance.now();
await g.page({ offset: 999_900, limit: 100 });
const coldMs = performance.now() - cold;
const p0 = await time(() => g.page({ offset: 0, limit: 100 }));
const pEnd = await time(() => g.page({ offset: 999_900, limit: 100 }));
const pMid = await time(() => g.page({ offset: 503_217, limit: 100 }));
line('grid page at row 999,900 vs row 0', `${pEnd.toFixed(1)} ms (mid 503,217: ${pMid.toFixed(1)} ms)`, `row 0: ${p0.toFixed(1)} ms`, pEnd <= 1.5 * Math.max(p0, 1) ? 'within 1.5x' : 'over 1.5x');
line('grid first jump to 999,900 (lays anchors once)', `${coldMs.toFixed(0)} ms`, 'psql OFFSET 999900: ' + (await time(() => psql('si_fixtures', 'SELECT * FROM pgbench_accounts ORDER BY aid OFFSET 999900 LIMIT 100'))).toFixed(0) + ' ms', '');

global.gc?.();
const rss0 = process.memoryUsage().rss;
let peak = 0;
const { run } = await QueryRun.start(s, 'SELECT * FROM pgbench_accounts', 500);
const first = run.firstRowsMs;
const t0 = performance.now();
for (let b = await run.more(5000); ; b = await run.more(5000)) {
  peak = Math.max(peak, process.memoryUsage().rss - rss0);
  if (b.done) break;
}
const allMs = performance.now() - t0;
const psqlAllRows = await (async () => { const t = performance.now(); psql('si_fixtures', 'SELECT * FROM pgbench_accounts'); return performance.now() - t; })();
line('1,000,000-row result: first rows', `${first.toFixed(1)} ms`, 'target < 100 ms', first < 100 ? 'ok' : 'slow');
line('1,000,000-row result: RSS growth reading it all', `${(peak / MB).toFixed(1)} MB (${(allMs / 1000).toFixed(1)} s)`, `psql holds it all: ${(psqlAllRows / 1000).toFixed(1)} s`, peak <= 64 * MB ? 'within 64 MB' : 'over 64 MB');
await s.close();
}

void main();
