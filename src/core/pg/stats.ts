import { isStorageError, messageOf } from '../errors';
import type { PgSession, PoolCounters } from './session';

/** A figure the server could not give (a restricted view, a missing extension): marked, never a failure of the whole. */
export type Maybe<T> = { ok: true; value: T } | { ok: false; reason: string };

async function optional<T>(what: string, fn: () => Promise<T>): Promise<Maybe<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (isStorageError(e) && e.code === 'Unavailable' && /closed|Nothing answers/.test(e.message)) throw e;
    return { ok: false, reason: `${what} is not available here: ${messageOf(e).split('\n')[0]}` };
  }
}

export interface TableStats {
  table: string;
  estimatedRows: number;
  tableBytes: number;
  indexBytes: number;
  toastBytes: number;
  totalBytes: number;
  seqScans: number | null;
  indexScans: number | null;
  liveTuples: number | null;
  deadTuples: number | null;
  lastVacuum: string | null;
  lastAutovacuum: string | null;
  lastAnalyze: string | null;
  lastAutoanalyze: string | null;
}

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Per-table statistics for one table or every table of a schema: one query. */
export async function tableStats(db: PgSession, schema: string, table?: string): Promise<TableStats[]> {
  const rows = await db.query(`SELECT c.relname, greatest(c.reltuples, 0)::bigint AS est, pg_table_size(c.oid) AS tbl, pg_indexes_size(c.oid) AS idx,
      CASE WHEN c.reltoastrelid <> 0 THEN pg_total_relation_size(c.reltoastrelid) ELSE 0 END AS toast, pg_total_relation_size(c.oid) AS total,
      st.seq_scan, st.idx_scan, st.n_live_tup, st.n_dead_tup, st.last_vacuum::text, st.last_autovacuum::text, st.last_analyze::text, st.last_autoanalyze::text
    FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace LEFT JOIN pg_stat_all_tables st ON st.relid = c.oid
    WHERE ns.nspname = $1 AND ($2::text IS NULL OR c.relname = $2) AND c.relkind IN ('r','p','m')
    ORDER BY c.relname`, [schema, table ?? null], { retry: true });
  return rows.map((r) => ({ table: String(r.relname), estimatedRows: Number(r.est), tableBytes: Number(r.tbl), indexBytes: Number(r.idx),
    toastBytes: Number(r.toast), totalBytes: Number(r.total), seqScans: n(r.seq_scan), indexScans: n(r.idx_scan), liveTuples: n(r.n_live_tup),
    deadTuples: n(r.n_dead_tup), lastVacuum: s(r.last_vacuum), lastAutovacuum: s(r.last_autovacuum), lastAnalyze: s(r.last_analyze),
    lastAutoanalyze: s(r.last_autoanalyze) }));
}

export interface IndexStats {
  table: string;
  index: string;
  method: string;
  sizeBytes: number;
  scans: number;
  tuplesRead: number;
  /** 0 scans since the statistics were reset, and not needed by a constraint. */
  unused: boolean;
  /** Other indexes of the same table with the same method, keys (order, operator classes, collations) and predicate. */
  duplicateOf: string[];
  statsResetAt: string | null;
}

/** Per-index statistics with the unused and duplicate hints: one query. */
export async function indexStats(db: PgSession, schema: string, table?: string): Promise<IndexStats[]> {
  const rows = await db.query(`SELECT c.relname AS tbl, i.relname AS idx, am.amname, pg_relation_size(i.oid) AS size,
      pg_stat_get_numscans(i.oid) AS scans, pg_stat_get_tuples_returned(i.oid) AS tup_read,
      x.indisunique OR x.indisprimary OR x.indisexclusion OR EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid) AS needed,
      x.indkey::text || '|' || coalesce(pg_get_expr(x.indexprs, x.indrelid), '') || '|' || coalesce(pg_get_expr(x.indpred, x.indrelid), '') || '|' || x.indclass::text || '|' || x.indoption::text || '|' || x.indcollation::text AS shape,
      (SELECT stats_reset::text FROM pg_stat_database WHERE datname = current_database()) AS reset
    FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
      JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
    WHERE ns.nspname = $1 AND ($2::text IS NULL OR c.relname = $2)
    ORDER BY c.relname, i.relname`, [schema, table ?? null], { retry: true });
  const key = (r: Record<string, unknown>) => `${String(r.tbl)}\0${String(r.amname)}\0${String(r.shape)}`;
  const groups = new Map<string, string[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), String(r.idx)]);
  return rows.map((r) => ({ table: String(r.tbl), index: String(r.idx), method: String(r.amname), sizeBytes: Number(r.size), scans: Number(r.scans),
    tuplesRead: Number(r.tup_read), unused: Number(r.scans) === 0 && r.needed !== true,
    duplicateOf: (groups.get(key(r)) ?? []).filter((x) => x !== r.idx), statsResetAt: s(r.reset) }));
}

export interface DatabaseStats {
  database: string;
  sizeBytes: number;
  activity: Maybe<{ cacheHitRatio: number | null; commits: number; rollbacks: number; deadlocks: number; backends: number }>;
  connections: Maybe<{ inUse: number; max: number }>;
  topStatements: Maybe<{ query: string; calls: number; totalMs: number; meanMs: number }[]>;
  pool: PoolCounters;
}

/** Database-wide figures; each part the server refuses is marked with its reason. */
export async function databaseStats(db: PgSession): Promise<DatabaseStats> {
  const [base] = await db.query(`SELECT current_database() AS db, pg_database_size(current_database()) AS size`, [], { retry: true });
  const activity = await optional('pg_stat_database', async () => {
    const [r] = await db.query(`SELECT blks_hit, blks_read, xact_commit, xact_rollback, deadlocks, numbackends FROM pg_stat_database WHERE datname = current_database()`);
    if (!r) throw new Error('no row for this database');
    const hit = Number(r.blks_hit), read = Number(r.blks_read);
    return { cacheHitRatio: hit + read > 0 ? hit / (hit + read) : null, commits: Number(r.xact_commit), rollbacks: Number(r.xact_rollback),
      deadlocks: Number(r.deadlocks), backends: Number(r.numbackends) };
  });
  const connections = await optional('pg_stat_activity', async () => {
    const [r] = await db.query(`SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS used, current_setting('max_connections')::int AS max`);
    return { inUse: Number(r!.used), max: Number(r!.max) };
  });
  const topStatements = await optional('pg_stat_statements', async () => {
    const [ext] = await db.query(`SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`);
    if (!ext) throw new Error('the extension is not installed in this database (CREATE EXTENSION pg_stat_statements)');
    const rows = await db.query(`SELECT query, calls, total_exec_time, mean_exec_time FROM "${String(ext.nspname).replace(/"/g, '""')}".pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 10`);
    return rows.map((r) => ({ query: String(r.query), calls: Number(r.calls), totalMs: Number(r.total_exec_time), meanMs: Number(r.mean_exec_time) }));
  });
  return { database: String(base!.db), sizeBytes: Number(base!.size), activity, connections, topStatements, pool: db.counters() };
}
