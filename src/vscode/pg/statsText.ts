import { formatBytes } from '../../core/local/limits';
import type { DatabaseStats, IndexStats, Maybe, PoolCounters, TableStats } from '../../lazy/pg';

// The statistics documents' Markdown, as pure functions of what the core returned. Names are
// escaped for Markdown tables; nothing here ever sees a password.

const cell = (v: unknown): string => String(v ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const num = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toLocaleString('en-US'));
const when = (v: string | null): string => v ?? 'never';
/** A Markdown table padded to its columns' widths, so it also reads as plain text. */
function table(head: string[], rows: unknown[][]): string {
  const cells = rows.map((r) => r.map(cell));
  const widths = head.map((h, i) => Math.max(h.length, 3, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${widths.map((w, i) => (r[i] ?? '').padEnd(w)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
const maybe = <T>(m: Maybe<T>, show: (v: T) => string): string => (m.ok ? show(m.value) : `_${cell(m.reason)}_`);

/** The hints of one index: unused since the reset, duplicates of others. */
export function indexHints(i: IndexStats): string[] {
  const out: string[] = [];
  if (i.unused) out.push(`unused: 0 scans since ${i.statsResetAt ? `the statistics reset (${i.statsResetAt})` : 'the statistics were reset'}; consider dropping it`);
  if (i.duplicateOf.length) out.push(`duplicate of ${i.duplicateOf.join(', ')} (same table, method, keys and predicate): one of them is enough`);
  return out;
}

export function indexTable(list: IndexStats[]): string {
  if (list.length === 0) return '_No indexes._';
  const short = (i: IndexStats) => [i.unused ? 'unused' : '', i.duplicateOf.length ? `duplicate of ${i.duplicateOf.join(', ')}` : ''].filter(Boolean).join('; ') || '';
  const notes: string[] = [];
  if (list.some((i) => i.unused)) notes.push(`_unused_: 0 scans since ${list[0]?.statsResetAt ? `the statistics reset (${list[0].statsResetAt})` : 'the statistics were reset'}, and no constraint needs it: a candidate to drop.`);
  if (list.some((i) => i.duplicateOf.length)) notes.push('_duplicate_: the same table, method, keys (order, operator classes, collations) and predicate as another index: one of them is enough.');
  return [table(['Index', 'Method', 'Size', 'Scans', 'Tuples read', 'Hints'],
    list.map((i) => [i.index, i.method, formatBytes(i.sizeBytes), num(i.scans), num(i.tuplesRead), short(i)])), '', ...notes.map((n) => `- ${n}`)].join('\n');
}

export function tableStatsText(where: string, schema: string, t: TableStats, indexes: IndexStats[]): string {
  return [`# ${schema}.${t.table}`, '', `_${where}_`, '',
    table(['Figure', 'Value'], [
      ['Rows (estimated)', num(t.estimatedRows)],
      ['Live / dead tuples', `${num(t.liveTuples)} / ${num(t.deadTuples)}`],
      ['Table size', formatBytes(t.tableBytes)],
      ['Index size', formatBytes(t.indexBytes)],
      ['TOAST size', formatBytes(t.toastBytes)],
      ['Total size', formatBytes(t.totalBytes)],
      ['Sequential scans', num(t.seqScans)],
      ['Index scans', num(t.indexScans)],
      ['Last vacuum / autovacuum', `${when(t.lastVacuum)} / ${when(t.lastAutovacuum)}`],
      ['Last analyze / autoanalyze', `${when(t.lastAnalyze)} / ${when(t.lastAutoanalyze)}`],
    ]), '', '## Indexes', '', indexTable(indexes), ''].join('\n');
}

export function indexStatsText(where: string, schema: string, i: IndexStats): string {
  const hints = indexHints(i);
  return [`# Index ${schema}.${i.index}`, '', `_${where}_, on table ${schema}.${i.table}`, '',
    table(['Figure', 'Value'], [['Method', i.method], ['Size', formatBytes(i.sizeBytes)], ['Scans', num(i.scans)], ['Tuples read', num(i.tuplesRead)],
      ['Statistics reset', when(i.statsResetAt)]]), '', '## Hints', '', hints.length ? hints.map((h) => `- ${h}`).join('\n') : 'None: the index is used and has no duplicate.', ''].join('\n');
}

export function poolText(pools: { database: string; counters: PoolCounters }[]): string {
  if (pools.length === 0) return '_No open pool: nothing was read from this connection yet._';
  return table(['Database', 'Open', 'Idle', 'Waiting', 'Max', 'Queries sent'],
    pools.map((p) => [p.database, p.counters.total, p.counters.idle, p.counters.waiting, p.counters.max, num(p.counters.queriesSent)]));
}

export function databaseStatsText(where: string, d: DatabaseStats, pools: { database: string; counters: PoolCounters }[]): string {
  const a = d.activity;
  const ratio = (r: number | null) => (r === null ? 'n/a (nothing read yet)' : `${(r * 100).toFixed(2)} %`);
  return [`# Database ${d.database}`, '', `_${where}_`, '',
    table(['Figure', 'Value'], [
      ['Size', formatBytes(d.sizeBytes)],
      ['Cache hit ratio', maybe(a, (v) => ratio(v.cacheHitRatio))],
      ['Commits / rollbacks', maybe(a, (v) => `${num(v.commits)} / ${num(v.rollbacks)}`)],
      ['Deadlocks', maybe(a, (v) => num(v.deadlocks))],
      ['Backends on this database', maybe(a, (v) => num(v.backends))],
      ['Connections in use / max_connections', maybe(d.connections, (v) => `${num(v.inUse)} / ${num(v.max)}${v.max ? ` (${Math.round((v.inUse / v.max) * 100)} %)` : ''}`)],
    ]), '', '## This extension\'s pools', '', poolText(pools), '',
    '## Top statements (pg_stat_statements)', '',
    maybe(d.topStatements, (list) => (list.length ? table(['Statement', 'Calls', 'Total ms', 'Mean ms'], list.map((s) => [s.query.slice(0, 200), num(s.calls), s.totalMs.toFixed(1), s.meanMs.toFixed(2)])) : '_No statements recorded yet._')),
    ''].join('\n');
}
