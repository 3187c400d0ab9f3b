import type { ColumnInfo, ConstraintInfo, FkAction, IndexColumn, IndexInfo, PolicyInfo, TableDetails, TriggerInfo } from './catalogTypes';
import type { PgSession } from './session';

// Five catalog queries give columns, constraints, indexes, triggers and policies for one table, or for
// every table of a schema at once (the same five): never one query per table.

/** Which tables: every one of schema $1, or only table $2. Each query joins `c` (the table) and `n` (its schema). */
const WHO = `n.nspname = $1 AND ($2::text IS NULL OR c.relname = $2)`;
const rel = (col: string) => `JOIN pg_class c ON c.oid = ${col} JOIN pg_namespace n ON n.oid = c.relnamespace`;

const COLUMNS = `SELECT c.relname AS tbl, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
    pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity, a.attgenerated,
    CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation, col_description(c.oid, a.attnum) AS comment
  FROM pg_attribute a ${rel('a.attrelid')}
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  WHERE ${WHO} AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p','f','v','m')
  ORDER BY c.relname, a.attnum`;

const CONSTRAINTS = `SELECT c.relname AS tbl, k.conname, k.contype, pg_get_constraintdef(k.oid, true) AS def, k.condeferrable, k.condeferred,
    k.convalidated, pg_get_expr(k.conbin, k.conrelid, true) AS check_expr,
    ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i)::text[] AS cols,
    fn.nspname AS ref_schema, fc.relname AS ref_table,
    ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i)::text[] AS ref_cols,
    k.confupdtype, k.confdeltype, k.confmatchtype
  FROM pg_constraint k ${rel('k.conrelid')}
  LEFT JOIN pg_class fc ON fc.oid = k.confrelid
  LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
  WHERE ${WHO} AND k.contype IN ('p','u','c','f','x')
  ORDER BY c.relname, position(k.contype IN 'pucfx'), k.conname`;

const INDEXES = `SELECT c.relname AS tbl, i.relname AS name, am.amname, x.indisunique, x.indisprimary, x.indisexclusion, x.indisvalid,
    pg_get_indexdef(x.indexrelid, 0, true) AS def, pg_get_expr(x.indpred, x.indrelid, true) AS pred, i.relkind = 'I' AS partitioned,
    pg_relation_size(x.indexrelid) AS size, pg_stat_get_numscans(x.indexrelid) AS scans,
    (SELECT k.conname FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p','u','x') LIMIT 1) AS constraint_name,
    (SELECT json_agg(json_build_object('def', pg_get_indexdef(x.indexrelid, g.k + 1, true), 'expr', x.indkey[g.k] = 0, 'key', g.k < x.indnkeyatts,
        'opclass', oc.opcname, 'opdefault', oc.opcdefault, 'desc', (x.indoption[g.k] & 1) <> 0, 'nullsfirst', (x.indoption[g.k] & 2) <> 0,
        'collation', CASE WHEN x.indcollation[g.k] <> 0 AND co.collname <> 'default' THEN co.collname END) ORDER BY g.k)
      FROM generate_series(0, x.indnatts - 1) AS g(k)
      LEFT JOIN pg_opclass oc ON g.k < x.indnkeyatts AND oc.oid = x.indclass[g.k]
      LEFT JOIN pg_collation co ON g.k < x.indnkeyatts AND co.oid = x.indcollation[g.k]) AS cols
  FROM pg_index x ${rel('x.indrelid')}
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_am am ON am.oid = i.relam
  WHERE ${WHO}
  ORDER BY c.relname, i.relname`;

const TRIGGERS = `SELECT c.relname AS tbl, g.tgname, g.tgtype, g.tgenabled, p.proname, pg_get_triggerdef(g.oid, true) AS def
  FROM pg_trigger g ${rel('g.tgrelid')}
  JOIN pg_proc p ON p.oid = g.tgfoid
  WHERE ${WHO} AND NOT g.tgisinternal
  ORDER BY c.relname, g.tgname`;

const POLICIES = `SELECT c.relname AS tbl, p.polname, p.polpermissive, p.polcmd,
    CASE WHEN p.polroles = '{0}' THEN ARRAY['public'] ELSE ARRAY(SELECT r.rolname::text FROM pg_roles r WHERE r.oid = ANY (p.polroles) ORDER BY r.rolname) END AS roles,
    pg_get_expr(p.polqual, p.polrelid, true) AS using_expr, pg_get_expr(p.polwithcheck, p.polrelid, true) AS check_expr
  FROM pg_policy p ${rel('p.polrelid')}
  WHERE ${WHO}
  ORDER BY c.relname, p.polname`;

export const DETAIL_QUERIES = { COLUMNS, CONSTRAINTS, INDEXES, TRIGGERS, POLICIES };

const ACTIONS: Record<string, FkAction> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
const CKINDS = { p: 'primary key', u: 'unique', c: 'check', f: 'foreign key', x: 'exclusion' } as const;
const CMDS = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' } as const;
const ENABLED = { O: 'origin', D: 'disabled', R: 'replica', A: 'always' } as const;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function mapColumn(r: Record<string, unknown>): ColumnInfo {
  const generated = r.attgenerated === 's' ? str(r.def) : null;
  return { table: String(r.tbl), position: Number(r.attnum), name: String(r.attname), type: String(r.type), notNull: r.attnotnull === true,
    default: generated ? null : str(r.def), identity: r.attidentity === 'a' ? 'always' : r.attidentity === 'd' ? 'by default' : null,
    generated, collation: str(r.collation), comment: str(r.comment) };
}

function mapConstraint(r: Record<string, unknown>): ConstraintInfo {
  const kind = CKINDS[r.contype as keyof typeof CKINDS];
  const out: ConstraintInfo = { table: String(r.tbl), name: String(r.conname), kind, definition: String(r.def), columns: (r.cols as string[]) ?? [],
    deferrable: r.condeferrable === true, initiallyDeferred: r.condeferred === true, validated: r.convalidated === true };
  if (kind === 'check') out.check = String(r.check_expr);
  if (kind === 'foreign key') {
    out.references = { schema: String(r.ref_schema), table: String(r.ref_table), columns: (r.ref_cols as string[]) ?? [],
      onDelete: ACTIONS[String(r.confdeltype)] ?? 'NO ACTION', onUpdate: ACTIONS[String(r.confupdtype)] ?? 'NO ACTION',
      match: r.confmatchtype === 'f' ? 'FULL' : r.confmatchtype === 'p' ? 'PARTIAL' : 'SIMPLE' };
  }
  return out;
}

function mapIndex(r: Record<string, unknown>): IndexInfo {
  const cols = ((r.cols as Record<string, unknown>[] | null) ?? []).map((c): IndexColumn => ({
    definition: String(c.def), expression: c.expr === true, key: c.key === true, opclass: str(c.opclass), opclassIsDefault: c.opdefault === true,
    descending: c.desc === true, nullsFirst: c.nullsfirst === true, collation: str(c.collation) }));
  return { table: String(r.tbl), name: String(r.name), method: String(r.amname), unique: r.indisunique === true, primary: r.indisprimary === true,
    exclusion: r.indisexclusion === true, valid: r.indisvalid === true, constraint: str(r.constraint_name), predicate: str(r.pred),
    columns: cols, definition: String(r.def), sizeBytes: Number(r.size), scans: Number(r.scans), partitioned: r.partitioned === true };
}

function mapTrigger(r: Record<string, unknown>): TriggerInfo {
  const t = Number(r.tgtype);
  const events = [[4, 'INSERT'], [8, 'DELETE'], [16, 'UPDATE'], [32, 'TRUNCATE']].filter(([b]) => t & (b as number)).map(([, e]) => e as string);
  return { table: String(r.tbl), name: String(r.tgname), timing: t & 64 ? 'INSTEAD OF' : t & 2 ? 'BEFORE' : 'AFTER', events,
    level: t & 1 ? 'ROW' : 'STATEMENT', function: String(r.proname), enabled: ENABLED[r.tgenabled as keyof typeof ENABLED] ?? 'origin', definition: String(r.def) };
}

function mapPolicy(r: Record<string, unknown>): PolicyInfo {
  return { table: String(r.tbl), name: String(r.polname), permissive: r.polpermissive === true, command: CMDS[r.polcmd as keyof typeof CMDS] ?? 'ALL',
    roles: (r.roles as string[]) ?? [], using: str(r.using_expr), withCheck: str(r.check_expr) };
}

/** Columns, constraints, indexes, triggers and policies of one table, or of every table in `schema` when `table` is omitted. */
export async function tableDetails(s: PgSession, schema: string, table?: string): Promise<TableDetails> {
  const args = [schema, table ?? null];
  const q = DETAIL_QUERIES;
  // Sequential on purpose: five quick catalog reads do not need five pooled connections.
  const columns = (await s.query(q.COLUMNS, args, { retry: true })).map(mapColumn);
  const constraints = (await s.query(q.CONSTRAINTS, args, { retry: true })).map(mapConstraint);
  const indexes = (await s.query(q.INDEXES, args, { retry: true })).map(mapIndex);
  const triggers = (await s.query(q.TRIGGERS, args, { retry: true })).map(mapTrigger);
  const policies = (await s.query(q.POLICIES, args, { retry: true })).map(mapPolicy);
  return { columns, constraints, indexes, triggers, policies };
}
