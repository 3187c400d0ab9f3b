import type { Database } from 'sql.js';
import { storageError } from '../errors';
import { type Cell, type WireValue, TEXT_PREVIEW_CHARS, fromWire, toCell, toWire } from './cells';
import { quoteIdent } from './ident';
import { afterCondition, orderBy, type OrderTerm } from './keyset';
import { type Value, num, query, scalar } from './sqlite';
import type { Column, Schema } from './schemaTypes';

export type FilterOp = 'contains' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'null' | 'notnull';
export interface Filter {
  column: string;
  op: FilterOp;
  value?: WireValue;
}

export interface RowsQuery {
  table: string;
  sort?: { column: string; desc: boolean };
  filters?: Filter[];
}

export interface GridColumn {
  name: string;
  type: string;
  pk: number;
  notNull: boolean;
  generated: boolean;
}

export interface CursorInfo {
  cursor: number;
  total: number;
  columns: GridColumn[];
  /** Columns whose values identify a row for edits; empty for views (read-only). */
  key: string[];
  editable: boolean;
}

export interface RowsPage {
  offset: number;
  rows: { key: WireValue[]; cells: Cell[] }[];
}

/** Rows between anchors: a page is one index seek plus at most this many skipped rows. */
export const ANCHOR_STEP = 64;
const OPS = new Set<FilterOp>(['contains', '=', '!=', '<', '<=', '>', '>=', 'null', 'notnull']);

interface Cursor {
  info: CursorInfo;
  from: string;
  where: string;
  params: Value[];
  terms: OrderTerm[];
  keyExprs: string[];
  select: string;
  /** Key of every ANCHOR_STEP-th row, in order; absent when the source has no row key (views). */
  anchors?: Value[][];
}

/**
 * Keyset paging: opening a cursor counts the rows and records an anchor key every ANCHOR_STEP rows
 * in one pass, so any page later costs a seek plus a short skip, never a large OFFSET.
 */
export class Pager {
  private readonly cursors = new Map<number, Cursor>();
  private next = 1;

  constructor(private readonly db: Database, private readonly schema: () => Schema) {}

  open(q: RowsQuery): CursorInfo {
    const s = this.schema();
    const table = s.tables.find((t) => t.name === q.table);
    const view = table ? undefined : s.views.find((v) => v.name === q.table);
    if (!table && !view) throw storageError('NotFound', `There is no table or view named ${quoteIdent(q.table)}. Refresh the SQL view.`);
    const columns = (table ?? view)!.columns.filter((c) => c.hidden !== 'hidden');
    const byName = new Map(columns.map((c) => [c.name, c] as const));
    const key = table?.key ?? [];
    const keyExprs = key.map((k) => (table?.keyIsRowid ? k : quoteIdent(k)));
    const params: Value[] = [];
    const where = (q.filters ?? []).map((f) => filterSql(f, byName, params)).join(' AND ') || '1';
    const terms: OrderTerm[] = [];
    if (q.sort) {
      if (!byName.has(q.sort.column)) throw storageError('BadInput', `Cannot sort by ${quoteIdent(q.sort.column)}: ${quoteIdent(q.table)} has no such column.`);
      terms.push({ expr: quoteIdent(q.sort.column), desc: q.sort.desc, nullable: true });
    }
    for (const k of keyExprs) terms.push({ expr: k, desc: q.sort?.desc ?? false, nullable: false });
    const cellExprs = columns.flatMap((c) => {
      const e = quoteIdent(c.name);
      return [`CASE WHEN typeof(${e}) IN ('text','blob') AND length(${e}) > ${TEXT_PREVIEW_CHARS} THEN substr(${e}, 1, ${TEXT_PREVIEW_CHARS}) ELSE ${e} END`, `CASE WHEN typeof(${e}) IN ('text','blob') THEN length(${e}) END`];
    });
    const from = quoteIdent(q.table);
    const cursor: Cursor = {
      info: { cursor: this.next++, total: 0, columns: columns.map(gridColumn), key, editable: !!table && table.kind !== 'virtual' && key.length > 0 },
      from, where, params, terms, keyExprs,
      select: [...keyExprs, ...cellExprs].join(', '),
    };
    if (keyExprs.length > 0) {
      const sortExpr = q.sort ? [quoteIdent(q.sort.column)] : [];
      const scan = scanAnchors(this.db, `SELECT ${[...sortExpr, ...keyExprs].join(', ')} FROM ${from} WHERE ${where} ORDER BY ${orderBy(terms)}`, params);
      cursor.anchors = scan.anchors;
      cursor.info.total = scan.total;
    } else {
      cursor.info.total = num(scalar(this.db, `SELECT count(*) FROM ${from} WHERE ${where}`, params));
    }
    this.cursors.set(cursor.info.cursor, cursor);
    return cursor.info;
  }

  page(cursorId: number, offset: number, limit: number): RowsPage {
    const c = this.cursors.get(cursorId);
    if (!c) throw storageError('NotFound', 'This grid is out of date (the database changed or was reloaded). Reopen "Show Rows".');
    if (!Number.isInteger(offset) || offset < 0) throw new RangeError('page: offset must be a non-negative integer');
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new RangeError('page: limit must be an integer from 1 to 10000');
    const params = [...c.params];
    let where = c.where;
    let skip = offset;
    if (c.anchors && c.anchors.length > 0) {
      const block = Math.min(Math.floor(offset / ANCHOR_STEP), c.anchors.length - 1);
      const anchor = c.anchors[block];
      if (block > 0 && anchor) {
        where = `(${where}) AND ${afterCondition(c.terms, anchor, true, params)}`;
        skip = offset - block * ANCHOR_STEP;
      }
    }
    const order = c.terms.length > 0 ? ` ORDER BY ${orderBy(c.terms)}` : '';
    const sql = `SELECT ${c.select} FROM ${c.from} WHERE ${where}${order} LIMIT ? OFFSET ?`;
    const res = query(this.db, sql, [...params, limit, skip]);
    const nk = c.keyExprs.length;
    return {
      offset,
      rows: res.rows.map((r) => {
        const cells: Cell[] = [];
        for (let i = nk; i < r.length; i += 2) cells.push(toCell(r[i] ?? null, r[i + 1] ?? null));
        return { key: r.slice(0, nk).map(toWire), cells };
      }),
    };
  }

  close(cursorId: number): void {
    this.cursors.delete(cursorId);
  }

  /** Any change to the data makes anchors stale. */
  invalidate(): void {
    this.cursors.clear();
  }
}

/** The full value of one cell, for "show all". */
/** "Show all" in the grid: at most this many characters of text (or bytes of a BLOB) go to the webview. */
export const SHOW_ALL_CHARS = 256 * 1024;

function cellWhere(schema: Schema, table: string, key: WireValue[], column: string): { where: string; params: Value[] } {
  const t = schema.tables.find((x) => x.name === table);
  if (!t || !t.columns.some((c) => c.name === column)) throw storageError('NotFound', `No column ${quoteIdent(column)} in ${quoteIdent(table)}.`);
  const params = key.map((k, i) => fromWire(k, `key[${i}]`));
  return { where: t.key.map((k) => `${t.keyIsRowid ? k : quoteIdent(k)} IS ?`).join(' AND '), params };
}

const gone = (table: string) => storageError('NotFound', `That row of ${quoteIdent(table)} no longer exists. Refresh the grid.`);

/**
 * One cell for "show all": up to SHOW_ALL_CHARS, cut by SQLite so a 50 MB value never leaves it
 * whole; a longer value comes with its full length, and cellValue gives all of it on request.
 */
export function readCell(db: Database, schema: Schema, table: string, key: WireValue[], column: string): Cell {
  const { where, params } = cellWhere(schema, table, key, column);
  const e = quoteIdent(column);
  const half = SHOW_ALL_CHARS / 2;
  const res = query(db, `SELECT CASE WHEN typeof(${e}) = 'text' THEN substr(${e}, 1, ${SHOW_ALL_CHARS}) WHEN typeof(${e}) = 'blob' THEN substr(${e}, 1, ${half}) ELSE ${e} END, CASE WHEN typeof(${e}) IN ('text', 'blob') THEN length(${e}) END FROM ${quoteIdent(table)} WHERE ${where}`, params);
  const row = res.rows[0];
  if (!row) throw gone(table);
  const [v, length] = [row[0] ?? null, row[1] ?? null];
  if (v instanceof Uint8Array) return { t: 'blob', size: num(length), hex: Buffer.from(v).toString('hex') };
  return toCell(v, length);
}

/** The whole value of one cell, for saving it to a file or opening it in an editor (not for a webview). */
export function readCellValue(db: Database, schema: Schema, table: string, key: WireValue[], column: string): { kind: 'null' | 'text' | 'blob' | 'number'; bytes: Uint8Array } {
  const { where, params } = cellWhere(schema, table, key, column);
  const res = query(db, `SELECT ${quoteIdent(column)} FROM ${quoteIdent(table)} WHERE ${where}`, params);
  const row = res.rows[0];
  if (!row) throw gone(table);
  const v = row[0] ?? null;
  if (v === null) return { kind: 'null', bytes: new Uint8Array(0) };
  if (v instanceof Uint8Array) return { kind: 'blob', bytes: v };
  const bytes = Buffer.from(String(v), 'utf8');
  return { kind: typeof v === 'string' ? 'text' : 'number', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/**
 * One ordered pass over the keys: stepping is cheap in wasm, and only every ANCHOR_STEP-th row is
 * copied out to JS (a window-function query doing the same was 10x slower here).
 */
function scanAnchors(db: Database, sql: string, params: Value[]): { anchors: Value[][]; total: number } {
  const stmt = db.prepare(sql);
  try {
    if (params.length > 0) stmt.bind(params as unknown as Parameters<typeof stmt.bind>[0]);
    const get = stmt.get.bind(stmt) as (p: null, config: { useBigInt: boolean }) => Value[];
    const anchors: Value[][] = [];
    let total = 0;
    while (stmt.step()) {
      if (total % ANCHOR_STEP === 0) anchors.push(get(null, { useBigInt: true }));
      total++;
    }
    return { anchors, total };
  } finally {
    stmt.free();
  }
}

function gridColumn(c: Column): GridColumn {
  return { name: c.name, type: c.type, pk: c.pk, notNull: c.notNull, generated: c.hidden === 'virtual' || c.hidden === 'stored' };
}

function filterSql(f: Filter, columns: Map<string, Column>, params: Value[]): string {
  if (!columns.has(f.column)) throw storageError('BadInput', `Cannot filter on ${quoteIdent(f.column)}: no such column.`);
  if (!OPS.has(f.op)) throw storageError('BadInput', `Unknown filter operator ${JSON.stringify(f.op)}.`);
  const e = quoteIdent(f.column);
  if (f.op === 'null') return `${e} IS NULL`;
  if (f.op === 'notnull') return `${e} IS NOT NULL`;
  const v = fromWire(f.value ?? null, 'filter value');
  if (f.op === 'contains') {
    params.push(`%${String(v ?? '').replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    return `${e} LIKE ? ESCAPE '\\'`;
  }
  params.push(v);
  return `${e} ${f.op} ?`;
}
