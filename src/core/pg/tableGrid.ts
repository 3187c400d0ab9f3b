import type { PoolClient } from 'pg';
import { storageError } from '../errors';
import type { Cell, GridColumn, GridRow, Page, PageRequest } from './gridTypes';
import { CELL_PREVIEW_CHARS } from './gridTypes';
import { qualified, quoteIdent } from './ident';
import { afterPredicate, filterSql, orderBy, type OrderTerm } from './keyset';
import { RAW_TEXT, type PgSession } from './session';
import { toPgError } from './pgError';

/** Rows between sparse anchors: a jump costs at most this many skipped index entries once anchors exist. */
const ANCHOR_STEP = 10_000;
/** A jump further than this past the nearest anchor first lays anchors over the whole order (one pass). */
const FAR_JUMP = 50_000;
const MAX_FULL_CELL_BYTES = 50 * 1024 * 1024;

interface Anchor { offset: number; values: (string | null)[] | null }

/**
 * The rows of one table for a virtualized grid. Tables with a primary key page by key (anchors make
 * far jumps cheap); tables without one page through a SCROLL cursor in a read-only transaction.
 */
export class TableGrid {
  private anchors = new Map<string, Anchor[]>();
  private cursor?: { client: PoolClient; signature: string };

  private constructor(
    private readonly s: PgSession, readonly schema: string, readonly table: string, readonly columns: GridColumn[],
    readonly keyColumns: string[], readonly relkind: string, readonly estimatedRows: number,
  ) {}

  static async open(s: PgSession, schema: string, table: string): Promise<TableGrid> {
    const rows = await s.query(`SELECT c.relkind, greatest(c.reltuples, 0)::bigint AS est, a.attname, format_type(a.atttypid, a.atttypmod) AS type,
        a.attnotnull, t.typlen, coalesce(array_position(pk.conkey, a.attnum), 0) AS pkpos, has_table_privilege(c.oid, 'SELECT') AS can_read
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'
      WHERE n.nspname = $1 AND c.relname = $2 ORDER BY a.attnum`, [schema, table], { retry: true });
    if (rows.length === 0) throw storageError('NotFound', `Table "${schema}"."${table}" does not exist (any more). Refresh the tree.`);
    if (rows[0]!.can_read !== true) throw storageError('NoPermission', `Permission denied to read "${schema}"."${table}". Ask its owner to GRANT SELECT.`);
    const cols = rows.map((r) => ({ name: String(r.attname), type: String(r.type), notNull: r.attnotnull === true, primaryKey: Number(r.pkpos) > 0, big: Number(r.typlen) === -1 }));
    const key = rows.filter((r) => Number(r.pkpos) > 0).sort((a, b) => Number(a.pkpos) - Number(b.pkpos)).map((r) => String(r.attname));
    return new TableGrid(s, schema, table, cols, key, String(rows[0]!.relkind), Number(rows[0]!.est));
  }

  get paging(): Page['paging'] {
    return this.keyColumns.length > 0 ? 'keyset' : 'cursor';
  }

  /** Whether rows can be edited here: a table or partitioned table with a key the edit can name. */
  get editable(): boolean {
    return (this.relkind === 'r' || this.relkind === 'p') && (this.keyColumns.length > 0 || this.relkind === 'r');
  }

  private col(name: string): GridColumn {
    const c = this.columns.find((x) => x.name === name);
    if (!c) throw storageError('BadInput', `"${this.table}" has no column "${name}".`);
    return c;
  }

  private terms(req: PageRequest): OrderTerm[] {
    const sorted = (req.sort ?? []).map((k) => { const c = this.col(k.column); return { expr: quoteIdent(c.name), type: c.type, descending: k.descending === true, nullable: !c.notNull }; });
    const key = this.keyColumns.filter((k) => !(req.sort ?? []).some((s) => s.column === k)).map((k) => { const c = this.col(k); return { expr: quoteIdent(k), type: c.type, descending: false, nullable: false }; });
    return [...sorted, ...key];
  }

  private where(req: PageRequest, first: number): { sql: string[]; params: (string | null)[] } {
    const sql: string[] = [];
    const params: (string | null)[] = [];
    for (const f of req.filters ?? []) {
      const t = filterSql(f.column, this.col(f.column).type, f.op, f.value, first + params.length);
      sql.push(t.sql);
      params.push(...t.params);
    }
    return { sql, params };
  }

  private selectList(): string {
    const cells = this.columns.map((c, i) => (c.big ? `left(${quoteIdent(c.name)}::text, ${CELL_PREVIEW_CHARS + 1}) AS v${i}, pg_column_size(${quoteIdent(c.name)}) AS s${i}` : `${quoteIdent(c.name)}::text AS v${i}`));
    const key = this.keyColumns.length > 0 ? this.keyColumns.map((k, i) => `${quoteIdent(k)}::text AS k${i}`) : ['ctid::text AS k0'];
    return [...key, 'xmin::text AS xv', ...cells].join(', ');
  }

  private toRow(r: Record<string, unknown>, terms: OrderTerm[], sortValues: boolean): GridRow & { order?: (string | null)[] } {
    const cells: Cell[] = this.columns.map((c, i) => {
      const v = r[`v${i}`] as string | null;
      if (c.big && v !== null && v.length > CELL_PREVIEW_CHARS) return { truncated: true, preview: v.slice(0, CELL_PREVIEW_CHARS), storedBytes: Number(r[`s${i}`]) };
      return v;
    });
    const nk = Math.max(1, this.keyColumns.length);
    const row: GridRow & { order?: (string | null)[] } = { key: Array.from({ length: nk }, (_, i) => String(r[`k${i}`])), version: String(r.xv), cells };
    if (sortValues) row.order = terms.map((_, i) => r[`o${i}`] as string | null);
    return row;
  }

  /** One page of rows at `offset` in the requested order and filter. */
  async page(req: PageRequest): Promise<Page> {
    if (!Number.isInteger(req.offset) || req.offset < 0 || !Number.isInteger(req.limit) || req.limit < 1 || req.limit > 10_000)
      throw storageError('BadInput', 'A page needs a whole offset >= 0 and a limit from 1 to 10,000.');
    if (this.paging === 'cursor') return this.cursorPage(req);
    const terms = this.terms(req);
    const sig = JSON.stringify([req.sort ?? [], req.filters ?? []]);
    let list = this.anchors.get(sig) ?? [{ offset: 0, values: null }];
    let a = nearest(list, req.offset);
    if (req.offset - a.offset > FAR_JUMP && list.length < 3) {
      list = await this.layAnchors(req, terms);
      this.anchors.set(sig, list);
      a = nearest(list, req.offset);
    }
    const w = this.where(req, 1);
    const params = [...w.params];
    const conds = [...w.sql];
    if (a.values) {
      const p = afterPredicate(terms, a.values, params.length + 1);
      conds.push(p.sql);
      params.push(...p.params);
    }
    const order = terms.map((t, i) => `${t.expr}::text AS o${i}`).join(', ');
    // When rows are skipped, the row just before the page comes too: it anchors this offset, so the
    // same page again (or scrolling back to it) is a pure seek.
    const skip = req.offset - a.offset;
    const sql = `SELECT ${this.selectList()}, ${order} FROM ${qualified(this.schema, this.table)}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''}
      ORDER BY ${orderBy(terms)} OFFSET ${Math.max(0, skip - 1)} LIMIT ${req.limit + (skip > 0 ? 1 : 0)}`;
    const rows = (await this.s.query(sql, params, { retry: true, raw: true })).map((r) => this.toRow(r, terms, true));
    if (skip > 0) {
      const before = rows.shift();
      if (before?.order) insertAnchor(list, { offset: req.offset, values: before.order });
    }
    const last = rows[rows.length - 1];
    if (last?.order) insertAnchor(list, { offset: req.offset + rows.length, values: last.order });
    this.anchors.set(sig, list);
    return { offset: req.offset, rows: rows.map(({ order: _o, ...r }) => r), paging: 'keyset' };
  }

  /** One pass over the order (index-only when it is the key) that records every ANCHOR_STEP-th row. */
  private async layAnchors(req: PageRequest, terms: OrderTerm[]): Promise<Anchor[]> {
    const w = this.where(req, 1);
    const cols = terms.map((t, i) => `${t.expr}::text AS o${i}`).join(', ');
    const rows = await this.s.query(`SELECT * FROM (SELECT ${cols}, row_number() OVER (ORDER BY ${orderBy(terms)}) AS rn
        FROM ${qualified(this.schema, this.table)}${w.sql.length ? ` WHERE ${w.sql.join(' AND ')}` : ''}) s WHERE rn % ${ANCHOR_STEP} = 0`, w.params, { retry: true, raw: true });
    return [{ offset: 0, values: null }, ...rows.map((r) => ({ offset: Number(r.rn), values: terms.map((_, i) => r[`o${i}`] as string | null) }))];
  }

  private async cursorPage(req: PageRequest): Promise<Page> {
    const sig = JSON.stringify([req.sort ?? [], req.filters ?? []]);
    if (this.cursor?.signature !== sig) {
      await this.close();
      const client = await this.s.client();
      try {
        const w = this.where(req, 1);
        const terms = this.terms(req);
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await client.query({ text: `DECLARE si_grid SCROLL CURSOR FOR SELECT ${this.selectList()} FROM ${qualified(this.schema, this.table)}
          ${w.sql.length ? `WHERE ${w.sql.join(' AND ')}` : ''} ${terms.length ? `ORDER BY ${orderBy(terms)}` : ''}`, values: w.params });
      } catch (e) {
        client.release(true);
        throw toPgError(e, this.s.where);
      }
      this.cursor = { client, signature: sig };
    }
    const c = this.cursor.client;
    try {
      await c.query(`MOVE ABSOLUTE ${req.offset} IN si_grid`);
      const res = await c.query({ text: `FETCH FORWARD ${req.limit} FROM si_grid`, types: RAW_TEXT });
      return { offset: req.offset, rows: res.rows.map((r) => this.toRow(r as Record<string, unknown>, [], false)), paging: 'cursor' };
    } catch (e) {
      await this.close(true);
      throw toPgError(e, this.s.where);
    }
  }

  /** The whole value of one cell (refused above 50 MB: save it with a query instead). */
  async cell(key: string[], column: string): Promise<string | null> {
    const c = this.col(column);
    const { sql, params } = this.keyMatch(key, 1);
    const [r] = await this.s.query(`SELECT octet_length(${quoteIdent(c.name)}::text) AS n FROM ${qualified(this.schema, this.table)} WHERE ${sql}`, params, { retry: true });
    if (!r) throw storageError('NotFound', 'The row is gone: someone deleted it or changed its key. Refresh the grid.');
    if (Number(r.n) > MAX_FULL_CELL_BYTES) throw storageError('TooLarge', `The value is ${Number(r.n).toLocaleString('en')} bytes, more than the 50 MB shown in an editor. Export it with a query instead.`);
    const [v] = await this.s.query(`SELECT ${quoteIdent(c.name)}::text AS v FROM ${qualified(this.schema, this.table)} WHERE ${sql}`, params, { retry: true, raw: true });
    return (v?.v as string | null) ?? null;
  }

  /** `WHERE` text naming one row by its key (or ctid). */
  keyMatch(key: string[], first: number): { sql: string; params: string[] } {
    if (this.keyColumns.length === 0) return { sql: `ctid = $${first}::tid`, params: [key[0] ?? ''] };
    if (key.length !== this.keyColumns.length) throw storageError('BadInput', `A row of "${this.table}" is named by ${this.keyColumns.length} key values.`);
    return { sql: this.keyColumns.map((k, i) => `${quoteIdent(k)} = $${first + i}::${this.col(k).type}`).join(' AND '), params: key };
  }

  /** Exact row count (the estimate is `estimatedRows`). */
  async count(req: Pick<PageRequest, 'filters'> = {}): Promise<number> {
    const w = this.where({ offset: 0, limit: 1, ...req }, 1);
    const [r] = await this.s.query(`SELECT count(*) AS n FROM ${qualified(this.schema, this.table)}${w.sql.length ? ` WHERE ${w.sql.join(' AND ')}` : ''}`, w.params, { retry: true });
    return Number(r!.n);
  }

  async close(broken = false): Promise<void> {
    const cur = this.cursor;
    this.cursor = undefined;
    if (!cur) return;
    if (!broken) await cur.client.query('ROLLBACK').catch(() => { broken = true; });
    cur.client.release(broken || undefined);
  }
}

function nearest(list: Anchor[], offset: number): Anchor {
  let best = list[0]!;
  for (const a of list) if (a.offset <= offset && a.offset >= best.offset) best = a;
  return best;
}

function insertAnchor(list: Anchor[], a: Anchor): void {
  if (list.some((x) => x.offset === a.offset)) return;
  list.push(a);
  list.sort((x, y) => x.offset - y.offset);
  if (list.length > 5000) list.splice(1, 1); // bounded memory; the laid anchors stay dense enough
}
