// Runs the plain-Node suites (unit and interop) with node:test and writes their counts as JSON.
// Usage: node scripts/run-unit.mjs [results.json] [file-or-dir ...]
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [resultsFile, ...targets] = process.argv.slice(2);
const roots = targets.length > 0 ? targets : ['test/unit'];

function collect(p, out) {
  if (statSync(p).isDirectory()) {
    for (const e of readdirSync(p).sort()) collect(join(p, e), out);
  } else if (p.endsWith('.test.ts')) {
    out.push(resolve(p));
  }
  return out;
}
const files = roots.flatMap((r) => collect(r, []));

const counts = { passed: 0, failed: 0, skipped: 0 };
// Node 20's run() has no execArgv; the test processes inherit the TypeScript loader this way.
const tsx = new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${tsx}`.trim();
const stream = run({ files, concurrency: 1, timeout: 10 * 60_000 });
stream.on('test:pass', (e) => {
  if (e.details?.type === 'suite') return;
  if (e.skip || e.todo) counts.skipped++;
  else counts.passed++;
});
stream.on('test:fail', (e) => {
  if (e.details?.type === 'suite') return;
  counts.failed++;
});
stream.compose(spec).pipe(process.stdout);
stream.on('end', () => {
  if (resultsFile) writeFileSync(resultsFile, JSON.stringify(counts));
  console.log(`unit: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  process.exitCode = counts.failed > 0 ? 1 : 0;
});
