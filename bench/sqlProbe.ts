// One measurement in a fresh process, so its peak RSS is its own. Prints one JSON line.
// bench/sql.ts bundles this file and runs it with plain node, as the extension runs: the session
// side is the shipped dist/sql.js (required at run time, not bundled in) and its worker
// dist/sql-worker.js. Only the baseline's sql.js init is bundled into the probe itself.
// Usage: node sql-probe.js (empty|baseline|session|session-warm|session+pages|session-warm+pages) DB LIB WORKER WASM
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadSqlJs } from '../src/core/sql/loader';

type Lib = typeof import('../src/lazy/sql');

async function main(): Promise<void> {
  const [mode, db, lib, worker, wasm] = process.argv.slice(2) as [string, string, string, string, string];
  if (mode === 'empty') {
    console.log(JSON.stringify({ ms: 0, rssMB: process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  if (mode === 'baseline') {
    // The least any viewer must do: init the engine, then read the file and open it (timed apart,
    // since a warmed session has its engine ready before the open starts).
    const t0 = performance.now();
    const SQL = await loadSqlJs(wasm);
    const initMs = performance.now() - t0;
    const t1 = performance.now();
    const bytes = await readFile(db);
    const d = new SQL.Database(bytes);
    const ms = performance.now() - t1;
    d.close();
    console.log(JSON.stringify({ ms, initMs, rssMB: process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  const { SqlSession } = createRequire(__filename)(resolve(lib)) as Lib;
  if (mode.includes('warm')) await SqlSession.prewarm({ workerPath: worker, wasmPath: wasm });
  const t0 = performance.now();
  // As the extension opens a local file: the worker reads it.
  const s = await SqlSession.open({ workerPath: worker, wasmPath: wasm, path: db, name: 'bench.db' });
  const schema = await s.call('schema', {});
  const ms = performance.now() - t0;
  const out: Record<string, number> = { ms, tables: schema.tables.length, indexes: schema.indexes.length };
  if (mode.endsWith('+pages')) {
    const c = await s.call('openCursor', { table: 't00' });
    out.total = c.total;
    await s.call('page', { cursor: c.cursor, offset: Math.max(0, c.total - 100), limit: 100 });
  }
  out.rssMB = process.resourceUsage().maxRSS / 1024;
  await s.close();
  console.log(JSON.stringify(out));
}
void main();
