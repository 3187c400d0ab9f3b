import type { Database } from 'sql.js';
import { messageOf } from '../errors';
import { rowidAlias } from './ident';
import { type Value, num, objects, str } from './sqlite';
import { parseCreateIndex, parseVirtualTable } from './sqltext';
import type { Column, ColumnHidden, ForeignKey, Index, Schema, Table, TableKind, Trigger, View } from './schemaTypes';

// Every identifier reaches the pragma functions as a bound value, never as SQL text.
const HIDDEN: ColumnHidden[] = ['normal', 'hidden', 'virtual', 'stored'];
const SHADOW_SUFFIXES: Record<string, string[]> = {
  fts5: ['data', 'idx', 'content', 'docsize', 'config'],
  fts4: ['content', 'segments', 'segdir', 'docsize', 'stat'],
  fts3: ['content', 'segments', 'segdir', 'docsize', 'stat'],
  rtree: ['node', 'parent', 'rowid'],
};

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

export function readColumns(db: Database, table: string): Column[] {
  return objects(db, 'SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?, \'main\') ORDER BY cid', [table]).map((r) => ({
    cid: num(r.cid),
    name: str(r.name),
    type: str(r.type),
    notNull: num(r.notnull) === 1,
    default: r.dflt_value === null ? null : str(r.dflt_value),
    pk: num(r.pk),
    hidden: HIDDEN[num(r.hidden)] ?? 'normal',
  }));
}

export function readIndexes(db: Database, table: string, sqlByName: Map<string, string | null>): Index[] {
  const list = objects(db, 'SELECT seq, name, "unique", origin, partial FROM pragma_index_list(?, \'main\') ORDER BY seq DESC', [table]);
  return list.map((r) => {
    const name = str(r.name);
    const sql = sqlByName.get(name) ?? null;
    const parsed = sql ? parseCreateIndex(sql) : { terms: [] as string[] };
    const cols = objects(db, 'SELECT seqno, cid, name, "desc", coll FROM pragma_index_xinfo(?, \'main\') WHERE key = 1 ORDER BY seqno', [name]);
    const index: Index = {
      name,
      table,
      unique: num(r.unique) === 1,
      origin: (str(r.origin) as Index['origin']) || 'c',
      partial: num(r.partial) === 1,
      columns: cols.map((c) => {
        const cid = num(c.cid);
        const col = { name: c.name === null ? null : str(c.name), cid, desc: num(c.desc) === 1, collation: str(c.coll) };
        const expression = cid === -2 ? parsed.terms[num(c.seqno)] : undefined;
        return expression === undefined ? col : { ...col, expression };
      }),
      sql,
    };
    if (index.partial && parsed.where) index.where = parsed.where;
    return index;
  });
}

export function readForeignKeys(db: Database, table: string): ForeignKey[] {
  const rows = objects(db, 'SELECT id, seq, "table", "from", "to", on_update, on_delete, "match" FROM pragma_foreign_key_list(?, \'main\') ORDER BY id, seq', [table]);
  const byId = new Map<number, ForeignKey>();
  for (const r of rows) {
    const id = num(r.id);
    let fk = byId.get(id);
    if (!fk) {
      fk = { id, table: str(r.table), from: [], to: [], onUpdate: str(r.on_update), onDelete: str(r.on_delete), match: str(r.match) };
      byId.set(id, fk);
    }
    fk.from.push(str(r.from));
    fk.to.push(r.to === null ? null : str(r.to));
  }
  return [...byId.values()];
}

function tableList(db: Database): Map<string, { type: string; wr: boolean; strict: boolean }> {
  const out = new Map<string, { type: string; wr: boolean; strict: boolean }>();
  for (const r of objects(db, "SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'")) {
    out.set(str(r.name), { type: str(r.type), wr: num(r.wr) === 1, strict: num(r.strict) === 1 });
  }
  return out;
}

function keyOf(columns: Column[], withoutRowid: boolean, kind: TableKind): { key: string[]; keyIsRowid: boolean } {
  if (withoutRowid) {
    return { key: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name), keyIsRowid: false };
  }
  const pk = columns.filter((c) => c.pk > 0);
  // An INTEGER PRIMARY KEY is the rowid under its own name.
  if (kind === 'table' && pk.length === 1 && pk[0] && pk[0].type.toUpperCase() === 'INTEGER') return { key: [pk[0].name], keyIsRowid: false };
  const alias = rowidAlias(columns.map((c) => c.name));
  return alias ? { key: [alias], keyIsRowid: true } : { key: [], keyIsRowid: false };
}

/** Reads the whole schema of the main database from sqlite_schema and the pragma functions. */
export function readSchema(db: Database): Schema {
  const rows = objects(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT GLOB 'sqlite_*' OR type = 'index' ORDER BY name") as unknown as SchemaRow[];
  const list = tableList(db);
  const indexSql = new Map(rows.filter((r) => r.type === 'index').map((r) => [r.name, r.sql] as const));
  const triggers: Trigger[] = rows.filter((r) => r.type === 'trigger').map((r) => ({ name: r.name, table: r.tbl_name, sql: str(r.sql as Value) }));
  const virtuals = rows.filter((r) => r.type === 'table' && /^\s*CREATE\s+VIRTUAL\s/i.test(r.sql ?? ''));
  const shadowNames = new Set<string>();
  for (const v of virtuals) {
    const mod = parseVirtualTable(v.sql ?? '')?.module.toLowerCase() ?? '';
    for (const s of SHADOW_SUFFIXES[mod] ?? []) shadowNames.add(`${v.name}_${s}`);
  }

  const tables: Table[] = [];
  for (const r of rows.filter((x) => x.type === 'table')) {
    const info = list.get(r.name);
    const isVirtual = info?.type === 'virtual' || virtuals.includes(r);
    const kind: TableKind = isVirtual ? 'virtual' : info?.type === 'shadow' || shadowNames.has(r.name) ? 'shadow' : 'table';
    const t: Table = {
      name: r.name, kind, withoutRowid: info?.wr ?? false, strict: info?.strict ?? false,
      columns: [], indexes: [], foreignKeys: [], triggers: triggers.filter((x) => x.table === r.name), sql: r.sql, key: [], keyIsRowid: false,
    };
    if (isVirtual) {
      const vt = parseVirtualTable(r.sql ?? '');
      if (vt) t.module = vt.module;
    }
    try {
      t.columns = readColumns(db, r.name);
      if (isVirtual) t.moduleAvailable = true;
    } catch (e) {
      // A module this sql.js build lacks (FTS5): show what the CREATE statement declares.
      t.moduleAvailable = false;
      t.problem = `${messageOf(e)}; this SQLite build cannot read it, so its columns come from its CREATE statement.`;
      t.columns = declaredVirtualColumns(r.name, r.sql ?? '');
    }
    if (!isVirtual || t.moduleAvailable) {
      t.indexes = readIndexes(db, r.name, indexSql);
      t.foreignKeys = readForeignKeys(db, r.name);
    }
    Object.assign(t, keyOf(t.columns, t.withoutRowid, kind));
    tables.push(t);
  }

  const views: View[] = rows.filter((r) => r.type === 'view').map((r) => {
    const v: View = { name: r.name, sql: str(r.sql as Value), columns: [], triggers: triggers.filter((x) => x.table === r.name) };
    try {
      v.columns = readColumns(db, r.name);
    } catch (e) {
      v.problem = messageOf(e);
    }
    return v;
  });
  return { tables, views, indexes: tables.flatMap((t) => t.indexes), triggers };
}

/**
 * fts5(a, b UNINDEXED, tokenize='porter') -> columns a, b, plus FTS5's hidden columns (the table's
 * own name and rank); options (with '=') are not columns.
 */
function declaredVirtualColumns(table: string, sql: string): Column[] {
  const vt = parseVirtualTable(sql);
  const col = (cid: number, name: string, type: string, hidden: ColumnHidden): Column => ({ cid, name, type, notNull: false, default: null, pk: 0, hidden });
  const cols = (vt?.args ?? [])
    .filter((a) => !a.includes('='))
    .map((a, cid) => {
      const [name = '', ...rest] = a.split(/\s+/);
      return col(cid, name.replace(/^["`[]|["`\]]$/g, ''), rest.join(' '), 'normal');
    });
  if (vt?.module.toLowerCase() === 'fts5') cols.push(col(cols.length, table, '', 'hidden'), col(cols.length + 1, 'rank', '', 'hidden'));
  return cols;
}
