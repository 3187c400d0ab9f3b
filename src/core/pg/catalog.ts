import { storageError } from '../errors';
import type { DatabaseInfo, ExtensionInfo, RelationInfo, RelationKind, SchemaInfo } from './catalogTypes';
import type { PgSession } from './session';

// Each function below is one tree level and sends exactly one catalog query, whatever the number of
// objects: the tree's cost must not grow with the schema (1,000 tables expand like 10).

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Level 1: the databases a connection can see. */
export async function listDatabases(s: PgSession): Promise<DatabaseInfo[]> {
  const rows = await s.query(`SELECT d.datname, pg_get_userbyid(d.datdba) AS owner, d.datallowconn,
      has_database_privilege(d.oid, 'CONNECT') AS can_connect,
      CASE WHEN has_database_privilege(d.oid, 'CONNECT') THEN pg_database_size(d.oid) END AS size,
      shobj_description(d.oid, 'pg_database') AS comment
    FROM pg_database d WHERE NOT d.datistemplate ORDER BY d.datname`);
  return rows.map((r) => ({ name: String(r.datname), owner: String(r.owner), allowConnections: r.datallowconn === true,
    canConnect: r.can_connect === true, sizeBytes: num(r.size), comment: (r.comment as string | null) ?? null }));
}

/** Level 2: schemas (temp and TOAST schemas left out), with whether this role may use them. */
export async function listSchemas(s: PgSession): Promise<SchemaInfo[]> {
  const rows = await s.query(`SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner, has_schema_privilege(n.oid, 'USAGE') AS usable,
      (n.nspname IN ('pg_catalog', 'information_schema')) AS system,
      (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r','p','f','v','m','S') AND NOT c.relispartition) AS objects,
      obj_description(n.oid, 'pg_namespace') AS comment
    FROM pg_namespace n
    WHERE n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
    ORDER BY (n.nspname IN ('pg_catalog', 'information_schema')), n.nspname`);
  return rows.map((r) => ({ name: String(r.nspname), owner: String(r.owner), usable: r.usable === true, system: r.system === true,
    objects: Number(r.objects), comment: (r.comment as string | null) ?? null }));
}

/** Extensions of the current database. */
export async function listExtensions(s: PgSession): Promise<ExtensionInfo[]> {
  const rows = await s.query(`SELECT e.extname, e.extversion, n.nspname, obj_description(e.oid, 'pg_extension') AS comment
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY e.extname`);
  return rows.map((r) => ({ name: String(r.extname), version: String(r.extversion), schema: String(r.nspname), comment: (r.comment as string | null) ?? null }));
}

const KINDS: Record<string, RelationKind> = { r: 'table', p: 'partitioned', f: 'foreign', v: 'view', m: 'matview', S: 'sequence' };

/**
 * Level 3: every table, partition, foreign table, view, materialized view and sequence of a schema.
 * Partitions are nested under their partitioned table. A schema this role may not use is a
 * NoPermission error (the adapter shows it as an error row; the rest of the tree is unaffected).
 */
export async function listRelations(s: PgSession, schema: string): Promise<RelationInfo[]> {
  const rows = await s.query(`WITH ns AS (SELECT oid, has_schema_privilege(oid, 'USAGE') AS usable FROM pg_namespace WHERE nspname = $1)
    SELECT ns.usable, c.relname, c.relkind, c.relispartition, pg_get_userbyid(c.relowner) AS owner,
      CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END AS est_rows,
      CASE WHEN c.relkind IN ('r','p','m','S') THEN pg_total_relation_size(c.oid) END AS total_bytes,
      EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p') AS has_pk,
      c.relrowsecurity, pc.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound,
      CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
      fs.srvname AS foreign_server, sq.seqstart::text AS seq_start, sq.seqincrement::text AS seq_inc,
      CASE WHEN c.relkind = 'S' AND has_sequence_privilege(c.oid, 'SELECT') THEN pg_sequence_last_value(c.oid)::text END AS seq_last,
      obj_description(c.oid, 'pg_class') AS comment
    FROM ns LEFT JOIN pg_class c ON c.relnamespace = ns.oid AND c.relkind IN ('r','p','f','v','m','S')
      LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
      LEFT JOIN pg_class pc ON pc.oid = i.inhparent
      LEFT JOIN pg_foreign_table ft ON ft.ftrelid = c.oid LEFT JOIN pg_foreign_server fs ON fs.oid = ft.ftserver
      LEFT JOIN pg_sequence sq ON sq.seqrelid = c.oid
    ORDER BY c.relname`, [schema], { retry: true });
  if (rows.length === 0) throw storageError('NotFound', `Schema "${schema}" does not exist (any more). Refresh the tree.`);
  if (rows[0]!.usable !== true) throw storageError('NoPermission', `Permission denied for schema "${schema}": this role has no USAGE on it. Ask its owner to GRANT USAGE ON SCHEMA, or connect as another role.`);
  const all: RelationInfo[] = [];
  for (const r of rows) {
    if (r.relname === null) continue;
    const kind: RelationKind = r.relispartition === true ? 'partition' : KINDS[String(r.relkind)] ?? 'table';
    const rel: RelationInfo = { schema, name: String(r.relname), kind, owner: String(r.owner), estimatedRows: num(r.est_rows),
      totalBytes: num(r.total_bytes), hasPrimaryKey: r.has_pk === true, rowSecurity: r.relrowsecurity === true, comment: (r.comment as string | null) ?? null };
    if (r.parent) { rel.parent = String(r.parent); rel.partitionBound = String(r.bound); }
    if (r.partkey) rel.partitionKey = String(r.partkey);
    if (r.foreign_server) rel.foreignServer = String(r.foreign_server);
    if (kind === 'sequence') rel.sequence = { start: String(r.seq_start), increment: String(r.seq_inc), last: (r.seq_last as string | null) ?? null };
    all.push(rel);
  }
  // Partitions of a partitioned table in this schema go under it; others (parent elsewhere) stay at the top.
  const byName = new Map(all.map((r) => [r.name, r]));
  const top: RelationInfo[] = [];
  for (const r of all) {
    const parent = r.parent !== undefined ? byName.get(r.parent) : undefined;
    if (parent) (parent.partitions ??= []).push(r);
    else top.push(r);
  }
  return top;
}
