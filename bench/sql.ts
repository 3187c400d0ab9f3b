// SQL view bench: a database built with the sqlite3 CLI (100 MB, 50 tables, 150 indexes, 1M rows
// in the paged table). Time until the schema is ready vs readFile + open alone, grid page times
// at the start, middle and end, peak RSS; and a 1 GiB database (skipped with BENCH_QUICK=1).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { SqlSession } from '../src/core/sql/host';
import { line, median } from './report';

const root = resolve(__dirname, '..');
const quick = !!process.env.BENCH_QUICK;
const dataDir = join(root, 'bench-data');
const ROWS = quick ? 100_000 : 1_000_000;
const rounds = quick ? 3 : 5;
const MB = 1024 * 1024;

/** 50 tables x 3 indexes; t00 holds ROWS rows, the others 1,000 each. */
function buildDb(path: string, rows: number, padding: number): void {
  if (existsSync(path)) return;
  const tables = Array.from({ length: 50 }, (_, i) => {
    const t = `t${String(i).padStart(2, '0')}`;
    const n = i === 0 ? rows : 1000;
    return `CREATE TABLE ${t}(id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c REAL, d BLOB);
      WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < ${n})
      INSERT INTO ${t} SELECT x, x * 7919 % 100003, 'k' || hex(randomblob(10)), x * 0.25, randomblob(${padding}) FROM r;
      CREATE INDEX ${t}_a ON ${t}(a); CREATE INDEX ${t}_b ON ${t}(b); CREATE INDEX ${t}_ca ON ${t}(c DESC, a);`;
  });
  execFileSync('/usr/bin/sqlite3', [path], { input: `PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN; ${tables.join('\n')} COMMIT;` });
}

/**
 * The shipped bundles, built fresh (a stale dist/ would measure old code), and the probe bundled
 * on its own, so probes run under plain node as the extension does, not under tsx.
 */
async function bundles(): Promise<{ probe: string; lib: string; worker: string; wasm: string }> {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const probe = join(dataDir, 'sql-probe.js');
  await esbuild.build({ entryPoints: [join(root, 'bench/sqlProbe.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: probe, logLevel: 'error' });
  return { probe, lib: join(root, 'dist/sql.js'), worker: join(root, 'dist/sql-worker.js'), wasm: join(root, 'dist/sql-wasm.wasm') };
}

let bins: Awaited<ReturnType<typeof bundles>> | undefined;
function probe(mode: string, db: string): { ms: number; rssMB: number; [k: string]: number } {
  const b = bins!;
  const out = execFileSync(process.execPath, [b.probe, mode, db, b.lib, b.worker, b.wasm], { encoding: 'utf8', cwd: root });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}');
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const db = join(dataDir, quick ? 'sql-quick.db' : 'sql-100mb.db');
  buildDb(db, ROWS, quick ? 8 : 1);
  const size = statSync(db).size;
  bins = await bundles();
  const { worker, wasm } = bins;

  // 1. Schema ready vs readFile + open, each in fresh processes (cold engine, warm page cache).
  probe('baseline', db);
  const base: number[] = [];
  const baseInit: number[] = [];
  const ours: number[] = [];
  const warm: number[] = [];
  let counts = '';
  for (let i = 0; i < rounds; i++) {
    const bl = probe('baseline', db);
    base.push(bl.ms);
    baseInit.push(bl.ms + (bl.initMs ?? 0));
    const r = probe('session', db);
    ours.push(r.ms);
    warm.push(probe('session-warm', db).ms);
    counts = `${r.tables} tables, ${r.indexes} indexes`;
  }
  // The issue's yardstick: readFile + open alone, the engine already initialized (as it is in a
  // warmed session); the cold path is set against wasm init + readFile + open.
  const b = median(base);
  const bi = median(baseInit);
  const o = median(ours);
  const w = median(warm);
  const overhead = (w / b - 1) * 100;
  // Each round's own ratio too: on a shared 2-core machine one busy neighbour moves these a lot.
  const perRound = warm.map((x, i) => (x / (base[i] ?? x) - 1) * 100).sort((x, y) => x - y);
  const spread = `rounds ${perRound[0]?.toFixed(0)}..${perRound.at(-1)?.toFixed(0)}%, load average ${loadavg()[0]?.toFixed(1)}`;
  line(`sql.schemaReady ${(size / 1e6).toFixed(0)} MB, ${counts} (engine warmed when the SQL view lists a database; the worker reads the file, opens it, reads the full schema and stats, median of ${rounds})`,
    `${w.toFixed(0)} ms`, `readFile + open alone (engine initialized): ${b.toFixed(0)} ms`, `overhead ${overhead.toFixed(0)}% (${spread}; target <= 50%: ${overhead <= 50 ? 'met' : 'NOT met'})`);
  line('  cold (no spare worker: worker start + wasm compile included)', `${o.toFixed(0)} ms`, `wasm init + readFile + open alone: ${bi.toFixed(0)} ms`, `overhead ${((o / bi - 1) * 100).toFixed(0)}% (the target is for the warmed path above)`);

  if (process.env.BENCH_ONLY_OPEN) return;
  // 2. Grid pages at the start, middle and end (keyset through anchors).
  const s = await SqlSession.open({ workerPath: worker, wasmPath: wasm, path: db, name: 'bench.db' });
  let t0 = performance.now();
  const c = await s.call('openCursor', { table: 't00' });
  const cursorMs = performance.now() - t0;
  const offsets = [0, Math.floor(ROWS / 2), ROWS - 100];
  const times = new Map<number, number[]>();
  for (let r = 0; r < 7; r++) {
    for (const off of offsets) {
      t0 = performance.now();
      const page = await s.call('page', { cursor: c.cursor, offset: off, limit: 100 });
      const ms = performance.now() - t0;
      if (page.rows.length !== 100 || page.rows[0]?.key[0] !== off + 1) throw new Error(`page at ${off} is wrong`);
      times.set(off, [...(times.get(off) ?? []), ms]);
    }
  }
  const med = offsets.map((o2) => median(times.get(o2) ?? []));
  const ratio = (med[2] ?? 0) / Math.max(med[0] ?? 0, 0.001);
  line(`sql.gridPage 100 rows at offsets ${offsets.map((x) => x.toLocaleString('en')).join(' / ')} (median of 7)`,
    med.map((m) => `${m.toFixed(2)} ms`).join(' / '), `SQLite Viewer-style LIMIT/OFFSET 500,000 in sql.js: 90 ms cold, 14 ms warm (baselines.md)`,
    `last/first ${ratio.toFixed(2)}x (target <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'}${ratio > 2 && (med[2] ?? 0) < 10 ? `, though the last page takes ${(med[2] ?? 0).toFixed(1)} ms` : ''})`);
  line(`  opening the grid cursor (count + anchors, one pass over ${c.total.toLocaleString('en')} keys)`, `${cursorMs.toFixed(0)} ms`, '', '');
  t0 = performance.now();
  const sorted = await s.call('openCursor', { table: 't00', sort: { column: 'a', desc: false } });
  const sortedOpen = performance.now() - t0;
  const st: number[] = [];
  for (let r = 0; r < 5; r++) {
    t0 = performance.now();
    await s.call('page', { cursor: sorted.cursor, offset: ROWS - 100, limit: 100 });
    st.push(performance.now() - t0);
  }
  line('  sorted by an indexed column (a, rowid keyset): cursor / last page', `${sortedOpen.toFixed(0)} ms / ${median(st).toFixed(2)} ms`, '', '');
  await s.close();

  // 3. Peak RSS of fresh processes: one that opens cold, reads the schema and pages, the same
  // with a spare worker warmed first (as when the SQL view is shown), one that only inits sql.js,
  // reads and opens (the least a viewer holds), an idle one. Cold and warm alternate; medians.
  const rssOf = (mode: string): number => median([0, 1, 2].map(() => probe(mode, db).rssMB));
  const empty = rssOf('empty');
  const least = rssOf('baseline');
  const cold: number[] = [];
  const warmed: number[] = [];
  for (let i = 0; i < rounds; i++) {
    cold.push(probe('session+pages', db).rssMB);
    warmed.push(probe('session-warm+pages', db).rssMB);
  }
  const rss = Math.max(median(cold), median(warmed));
  const rssRatio = (rss * MB) / size;
  const addedRatio = ((rss - empty) * MB) / size;
  const range = (xs: number[]): string => `${Math.min(...xs).toFixed(0)}..${Math.max(...xs).toFixed(0)}`;
  line(`sql.peakRss (whole process: extension side + worker + sql.js; plain node on the built dist/ bundles as shipped; the worse of cold and warmed opens, median of ${rounds})`,
    `${rss.toFixed(0)} MB = ${rssRatio.toFixed(2)}x file size (${(rss - empty).toFixed(0)} MB = ${addedRatio.toFixed(2)}x above an idle node process of ${empty.toFixed(0)} MB; cold ${median(cold).toFixed(0)} MB, rounds ${range(cold)}; warmed ${median(warmed).toFixed(0)} MB, rounds ${range(warmed)})`,
    `wasm init + readFile + open alone in one thread: ${least.toFixed(0)} MB = ${((least * MB) / size).toFixed(2)}x; baselines: 1.8x; SQLite Viewer 1.5 GB db used over 6 GB (4x)`,
    `target <= 2x (whole process): ${rssRatio <= 2 ? 'met' : 'NOT met'}`);

  // 4. A 1 GiB database.
  if (quick) {
    console.log('sql.open1GiB: skipped (BENCH_QUICK=1)');
    return;
  }
  const big = join(dataDir, 'sql-1gib.db');
  const bt = performance.now();
  buildDb(big, 1_000_000, 960);
  const built = performance.now() - bt;
  const gib = probe('session+pages', big);
  const gibBase = probe('baseline', big);
  line(`sql.open1GiB ${(statSync(big).size / MB).toFixed(0)} MiB${built > 1000 ? ` (built in ${(built / 1000).toFixed(0)} s)` : ''}: schema ready + last grid page / peak RSS`,
    `${gib.ms.toFixed(0)} ms / ${gib.rssMB.toFixed(0)} MB = ${((gib.rssMB * MB) / statSync(big).size).toFixed(2)}x`, `wasm init + readFile + open alone: ${(gibBase.ms + (gibBase.initMs ?? 0)).toFixed(0)} ms / ${gibBase.rssMB.toFixed(0)} MB; SQLite Viewer: 200 MB default limit`, '');
}

void main();
