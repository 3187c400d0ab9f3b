// Lists (and ends) processes that a test run started and left running: every process whose
// environment carries this run's SI_RUN_ID, except this one and its ancestors.
// Usage: node scripts/leftovers.mjs RUN_ID   (exit 1 when something was left behind)
import { readFileSync, readdirSync } from 'node:fs';

const runId = process.argv[2];
if (!runId) { console.error('usage: leftovers.mjs RUN_ID'); process.exit(2); }
const read = (p) => { try { return readFileSync(p); } catch { return undefined; } };
const ppidOf = (pid) => Number(String(read(`/proc/${pid}/stat`) ?? '').replace(/^.*\) /s, '').split(' ')[1] ?? 0);

const mine = new Set();
for (let p = process.pid; p > 1; p = ppidOf(p)) mine.add(p);

const marker = Buffer.from(`SI_RUN_ID=${runId}\0`);
const left = [];
for (const name of readdirSync('/proc')) {
  const pid = Number(name);
  if (!Number.isInteger(pid) || mine.has(pid)) continue;
  const env = read(`/proc/${pid}/environ`);
  if (!env || env.indexOf(marker) < 0) continue;
  const cmd = String(read(`/proc/${pid}/cmdline`) ?? '').replaceAll('\0', ' ').trim();
  if (!cmd) continue; // a zombie waiting for its parent
  left.push({ pid, cmd });
}
for (const p of left) {
  console.log(`left running by the test run: pid ${p.pid}: ${p.cmd.slice(0, 200)}`);
  try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone already */ }
}
process.exit(left.length > 0 ? 1 : 0);
