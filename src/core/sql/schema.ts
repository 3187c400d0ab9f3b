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
  return objects(db, 'SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?, \'main\') ORDER BY cid', [table]).map(columnOf);
}

export function readIndexes(db: Database, table: string, sqlByName: Map<string, string | null>): Index[] {
  const list = objects(db, 'SELECT seq, name, "unique", origin, partial FROM pragma_index_list(?, \'main\') ORDER BY seq DESC', [table]);
  return list.map((r) => {
    const name = str(r.name);
    const sql = sqlByName.get(name) ?? null;
    const cols = objects(db, 'SELECT seqno, cid, name, "desc", coll FROM pragma_index_xinfo(?, \'main\') WHERE key = 1 ORDER BY seqno', [name]);
    const index: Index = {
      name, table, unique: num(r.unique) === 1, origin: (str(r.origin) as Index['origin']) || 'c', partial: num(r.partial) === 1, sql,
      columns: cols.map((c) => indexColumn(c.name ?? null, num(c.cid), num(c.desc) === 1, str(c.coll), num(c.seqno), sql)),
    };
    finishIndex(index);
    return index;
  });
}

export function readForeignKeys(db: Database, table: string): ForeignKey[] {
  return foreignKeysOf(objects(db, 'SELECT id, seq, "table", "from", "to", on_update, on_delete, "match" FROM pragma_foreign_key_list(?, \'main\') ORDER BY id, seq', [table]));
}

const isVirtualSql = (sql: string | null): boolean => /^\s*CREATE\s+VIRTUAL\s/i.test(sql ?? '');

function groupBy<T>(rows: Record<string, Value>[], key: string, map: (r: Record<string, Value>) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = str(r[key]);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(map(r));
  }
  return out;
}

const columnOf = (r: Record<string, Value>): Column => ({
  cid: num(r.cid),
  name: str(r.name),
  type: str(r.type),
  notNull: num(r.notnull) === 1,
  default: r.dflt_value === null ? null : str(r.dflt_value),
  pk: num(r.pk),
  hidden: HIDDEN[num(r.hidden)] ?? 'normal',
});

/**
 * Columns, indexes and foreign keys of every object in four joined queries; one query per
 * object was 20x slower on a 50-table database. Undefined when a virtual table's module is
 * missing (the join then fails as a whole), and the caller reads object by object.
 */
function readAll(db: Database, indexSql: Map<string, string | null>): { columns: Map<string, Column[]>; indexes: Map<string, Index[]>; fks: Map<string, ForeignKey[]> } | undefined {
  let colRows: Record<string, Value>[];
  try {
    colRows = objects(db, "SELECT m.name AS obj, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden FROM sqlite_schema m JOIN pragma_table_xinfo(m.name, 'main') p WHERE m.type IN ('table', 'view') ORDER BY m.name, p.cid");
  } catch {
    return undefined;
  }
  const plain = "m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%'";
  const ixRows = objects(db, `SELECT m.name AS tbl, il.seq, il.name AS idx, il."unique", il.origin, il.partial, ix.seqno, ix.cid, ix.name AS col, ix."desc", ix.coll FROM sqlite_schema m JOIN pragma_index_list(m.name, 'main') il JOIN pragma_index_xinfo(il.name, 'main') ix WHERE ${plain} AND ix.key = 1 ORDER BY m.name, il.seq DESC, ix.seqno`);
  const indexes = new Map<string, Index[]>();
  const byName = new Map<string, Index>();
  for (const r of ixRows) {
    const name = str(r.idx);
    let index = byName.get(name);
    if (!index) {
      index = { name, table: str(r.tbl), unique: num(r.unique) === 1, origin: (str(r.origin) as Index['origin']) || 'c', partial: num(r.partial) === 1, columns: [], sql: indexSql.get(name) ?? null };
      byName.set(name, index);
      const list = indexes.get(index.table) ?? [];
      list.push(index);
      indexes.set(index.table, list);
    }
    index.columns.push(indexColumn(r.col ?? null, num(r.cid), num(r.desc) === 1, str(r.coll), num(r.seqno), index.sql));
  }
  for (const index of byName.values()) finishIndex(index);
  const fkRows = objects(db, `SELECT m.name AS tbl, p.id, p.seq, p."table", p."from", p."to", p.on_update, p.on_delete, p."match" FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name, 'main') p WHERE ${plain} ORDER BY m.name, p.id, p.seq`);
  const fks = new Map<string, ForeignKey[]>();
  for (const [tbl, rows] of groupBy(fkRows, 'tbl', (r) => r)) fks.set(tbl, foreignKeysOf(rows));
  return { columns: groupBy(colRows, 'obj', columnOf), indexes, fks };
}

const parsedIndexes = new Map<string, { terms: string[]; where?: string }>();
function parsedIndex(sql: string | null): { terms: string[]; where?: string } {
  if (!sql) return { terms: [] };
  let p = parsedIndexes.get(sql);
  if (!p) {
    p = parseCreateIndex(sql);
    if (parsedIndexes.size > 10_000) parsedIndexes.clear();
    parsedIndexes.set(sql, p);
  }
  return p;
}

function indexColumn(name: Value, cid: number, desc: boolean, collation: string, seqno: number, sql: string | null): Index['columns'][number] {
  const col = { name: name === null ? null : str(name), cid, desc, collation };
  const expression = cid === -2 ? parsedIndex(sql).terms[seqno] : undefined;
  return expression === undefined ? col : { ...col, expression };
}

function finishIndex(index: Index): void {
  const where = index.partial ? parsedIndex(index.sql).where : undefined;
  if (where) index.where = where;
}

function foreignKeysOf(rows: Record<string, Value>[]): ForeignKey[] {
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
  const virtuals = rows.filter((r) => r.type === 'table' && isVirtualSql(r.sql));
  const all = readAll(db, indexSql);
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
      t.columns = all ? (all.columns.get(r.name) ?? []) : readColumns(db, r.name);
      if (isVirtual) t.moduleAvailable = true;
    } catch (e) {
      // A module this sql.js build lacks (FTS5): show what the CREATE statement declares.
      t.moduleAvailable = false;
      t.problem = `${messageOf(e)}; this SQLite build cannot read it, so its columns come from its CREATE statement.`;
      t.columns = declaredVirtualColumns(r.name, r.sql ?? '');
    }
    if (!isVirtual) {
      t.indexes = all ? (all.indexes.get(r.name) ?? []) : readIndexes(db, r.name, indexSql);
      t.foreignKeys = all ? (all.fks.get(r.name) ?? []) : readForeignKeys(db, r.name);
    }
    Object.assign(t, keyOf(t.columns, t.withoutRowid, kind));
    tables.push(t);
  }

  const views: View[] = rows.filter((r) => r.type === 'view').map((r) => {
    const v: View = { name: r.name, sql: str(r.sql as Value), columns: [], triggers: triggers.filter((x) => x.table === r.name) };
    try {
      v.columns = all ? (all.columns.get(r.name) ?? []) : readColumns(db, r.name);
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
