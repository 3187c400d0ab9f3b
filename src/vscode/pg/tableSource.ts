import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import type { Filter, FilterOp, GridRow as PgRow, PgSession, RowChange, TableGrid } from '../../lazy/pg';
import type { Ctx } from '../ctx';
import { pg } from '../lazy';
import { choose, confirm, type Answers } from '../prompts';
import type { GridCell, GridFilter, GridInput, GridKey, GridRow, GridSort } from '../webviews/gridProtocol';
import type { GridShape, GridSource, PendingChanges } from '../webviews/gridSource';

/** One table of one database, as the tree names it. */
export interface PgTable { connectionId: string; database: string; schema: string; table: string }

/** "Show all" sends at most this many characters to the webview; "Save Value As" writes the rest. */
const FULL_CELL_CHARS = 1_000_000;

const NUMERIC = /^(smallint|integer|bigint|numeric|real|double precision|decimal|money|oid)\b/;
const OPS: Record<GridFilter['op'], FilterOp> = { contains: 'contains', '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=', null: 'is null', notnull: 'is not null' };

/** Rows added in the grid and not saved yet carry a numeric key: a real key is always text. */
const isNewKey = (key: GridKey): key is [number] => key.length === 1 && typeof key[0] === 'number';
const keyText = (key: GridKey): string[] => key.map((k) => (typeof k === 'string' ? k : String(k)));
const sig = (key: GridKey) => JSON.stringify(key);

/** Filters as the grid sends them, in the core's terms. */
export function toCoreFilters(filters: GridFilter[]): Filter[] {
  return filters.map((f) => ({ column: f.column, op: OPS[f.op], ...(f.value !== undefined ? { value: String(f.value) } : {}) }));
}

/**
 * A PostgreSQL table as a grid source. Rows come from the core's TableGrid (keyset pages on the
 * primary key; a server-side cursor without one), sorted and filtered on the server. Edits,
 * inserts and deletes are staged here and applied at Save in one transaction, after a preview of
 * the SQL; each update and delete checks the row's xmin, so a row someone else changed is a
 * Conflict and their value stays.
 */
export class PgTableSource implements GridSource {
  readonly group: string;
  readonly title: string;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private grid: TableGrid | undefined;
  /** What the last open returned (the panel shows it; "Show Rows" reports it). */
  shape: GridShape | undefined;
  private query: { sort?: GridSort; filters: GridFilter[] } = { filters: [] };
  /** The xmin each row had when it was read: what its update or delete is conditional on. */
  private readonly versions = new Map<string, string>();
  private readonly updates = new Map<string, { key: string[]; version: string; values: Record<string, string | null> }>();
  private readonly inserts = new Map<number, Record<string, string | null>>();
  private readonly deletes = new Map<string, { key: string[]; version: string }>();
  private nextNew = 1;
  /** After a save the rows moved: the next open starts a new TableGrid (fresh anchors and cursor). */
  private fresh = true;

  constructor(private readonly ctx: Ctx, private readonly session: PgSession, readonly target: PgTable, label: string) {
    this.group = `pg:${target.connectionId}/${target.database}`;
    this.title = `${target.schema}.${target.table} — ${label}`;
  }

  private core(): TableGrid {
    if (!this.grid) throw storageError('BadInput', 'The grid is not open yet.');
    return this.grid;
  }

  get readOnlyReason(): string | undefined {
    const g = this.grid;
    if (this.session.options.readOnly) return `The connection is read-only (default_transaction_read_only): rows cannot be changed here.`;
    if (g && !g.editable) return `${this.target.schema}.${this.target.table} is a view, a foreign table or has no key: change it with a query.`;
    return undefined;
  }

  async open(q: { sort?: GridSort; filters: GridFilter[] }): Promise<GridShape> {
    this.query = q;
    // A new order or filter needs a new cursor (for a table without a key); the keyset anchors stay.
    await this.grid?.close();
    if (this.fresh || !this.grid) this.grid = await pg().TableGrid.open(this.session, this.target.schema, this.target.table);
    this.fresh = false;
    const g = this.grid;
    const columns = g.columns.map((c) => ({ name: c.name, type: c.type, numeric: NUMERIC.test(c.type), key: c.primaryKey, notNull: c.notNull }));
    const why = this.readOnlyReason;
    const note = g.paging === 'cursor'
      ? 'no primary key: rows are read through a server-side cursor (a snapshot) and named by their ctid'
      : 'paged by primary key';
    this.shape = { columns, estimate: g.estimatedRows + this.inserts.size, note, ...(why ? { readOnlyReason: why } : {}) };
    return this.shape;
  }

  async page(req: { offset: number; limit: number }): Promise<{ offset: number; rows: GridRow[] }> {
    const g = this.core();
    const q = this.query;
    const page = await g.page({ offset: req.offset, limit: req.limit, filters: toCoreFilters(q.filters), ...(q.sort ? { sort: [{ column: q.sort.column, descending: q.sort.desc }] } : {}) });
    const rows = page.rows.map((r) => this.overlay(r));
    // The end of the table: rows added here and not saved yet come after it.
    if (page.rows.length < req.limit) {
      for (const [n, values] of this.inserts) rows.push({ key: [n], cells: g.columns.map((c) => values[c.name] ?? null), inserted: true, changed: g.columns.flatMap((c, i) => (c.name in values ? [i] : [])) });
    }
    return { offset: page.offset, rows };
  }

  /** A row as read, with the staged edits laid over it. */
  private overlay(r: PgRow): GridRow {
    const g = this.core();
    const key: GridKey = r.key;
    const s = sig(key);
    if (!this.updates.has(s) && !this.deletes.has(s)) this.versions.set(s, r.version);
    const edit = this.updates.get(s);
    const cells: GridCell[] = r.cells.map((c, i) => {
      const name = g.columns[i]!.name;
      if (edit && name in edit.values) return edit.values[name] ?? null;
      return c === null || typeof c === 'string' ? c : { t: 'text', v: c.preview, length: c.storedBytes };
    });
    const row: GridRow = { key, cells };
    if (edit) row.changed = g.columns.flatMap((c, i) => (c.name in edit.values ? [i] : []));
    if (this.deletes.has(s)) row.deleted = true;
    return row;
  }

  async fullCell(key: GridKey, column: string): Promise<GridCell> {
    const v = await this.value(key, column);
    return v !== null && v.length > FULL_CELL_CHARS ? { t: 'text', v: v.slice(0, FULL_CELL_CHARS), length: v.length } : v;
  }

  private async value(key: GridKey, column: string): Promise<string | null> {
    if (isNewKey(key)) return this.inserts.get(key[0])?.[column] ?? null;
    const staged = this.updates.get(sig(key))?.values;
    if (staged && column in staged) return staged[column] ?? null;
    return this.core().cell(keyText(key), column);
  }

  async valueBytes(key: GridKey, column: string): Promise<Uint8Array> {
    const v = (await this.value(key, column)) ?? '';
    const type = this.core().columns.find((c) => c.name === column)?.type;
    // bytea comes as the server's hex text; the file gets the bytes themselves.
    if (type === 'bytea' && /^\\x[0-9a-f]*$/i.test(v)) return new Uint8Array(Buffer.from(v.slice(2), 'hex'));
    return new TextEncoder().encode(v);
  }

  private writable(): TableGrid {
    const why = this.readOnlyReason;
    if (why) throw storageError('NoPermission', why);
    return this.core();
  }

  async update(key: GridKey, column: string, input: GridInput): Promise<void> {
    const g = this.writable();
    if (!g.columns.some((c) => c.name === column)) throw storageError('BadInput', `${this.target.table} has no column ${column}. Refresh the grid.`);
    const value = input === null ? null : input.text;
    if (isNewKey(key)) {
      const row = this.inserts.get(key[0]);
      if (!row) throw storageError('NotFound', 'That new row was discarded. Insert it again.');
      row[column] = value;
    } else {
      const s = sig(key);
      const version = this.versions.get(s);
      if (version === undefined) throw storageError('NotFound', 'That row is not on screen any more. Refresh the grid and edit it again.');
      const u = this.updates.get(s) ?? { key: keyText(key), version, values: {} };
      u.values[column] = value;
      this.updates.set(s, u);
    }
    this.changed.fire();
  }

  async insert(): Promise<void> {
    this.writable();
    this.inserts.set(this.nextNew++, {});
    this.changed.fire();
  }

  /** Staged like every other change (Discard brings the rows back), so nothing is asked here. */
  async delete(keys: GridKey[]): Promise<boolean> {
    this.writable();
    if (keys.length === 0) throw storageError('BadInput', 'Select the rows to delete first (click a row number; Shift+click extends).');
    for (const key of keys) {
      if (isNewKey(key)) { this.inserts.delete(key[0]); continue; }
      const s = sig(key);
      const version = this.updates.get(s)?.version ?? this.versions.get(s);
      if (version === undefined) throw storageError('NotFound', 'A selected row is not on screen any more. Refresh the grid and select it again.');
      this.updates.delete(s);
      this.deletes.set(s, { key: keyText(key), version });
    }
    this.changed.fire();
    return true;
  }

  get dirty(): boolean {
    return this.updates.size + this.inserts.size + this.deletes.size > 0;
  }

  pending(): PendingChanges {
    return { updated: this.updates.size, inserted: this.inserts.size, deleted: this.deletes.size, other: false };
  }

  /** The staged changes, in the order they are applied: deletes, updates, then inserts. */
  changes(): RowChange[] {
    return [
      ...[...this.deletes.values()].map((d): RowChange => ({ op: 'delete', key: d.key, version: d.version })),
      ...[...this.updates.values()].map((u): RowChange => ({ op: 'update', key: u.key, version: u.version, values: u.values })),
      ...[...this.inserts.values()].map((values): RowChange => ({ op: 'insert', values })),
    ];
  }

  /** The SQL that Save will run, with the values inlined for reading. */
  previewSql(): string {
    const core = pg();
    return core.previewSql(core.editStatements(this.core(), this.changes()));
  }

  /**
   * Applies every staged change in one transaction after showing the SQL ("Show SQL" opens it in
   * an editor). A Conflict rolls everything back and keeps the staged changes.
   */
  async save(): Promise<void> {
    await this.apply();
  }

  /** Save, with the prompts answered (`pick: 'Apply'` or `confirm: false`); says what it did. */
  async apply(answers: Answers = {}): Promise<'saved' | 'unchanged' | 'kept'> {
    const g = this.writable();
    if (!this.dirty) return 'unchanged';
    const preview = this.previewSql();
    const n = this.changes().length;
    const apply = 'Apply';
    const show = 'Show SQL';
    const lines = preview.split('\n');
    const shown = lines.length > 24 ? [...lines.slice(0, 22), `… ${lines.length - 22} more line(s): Show SQL opens all of it`] : lines;
    for (;;) {
      const answer = answers.pick !== undefined || answers.confirm !== undefined
        ? (answers.confirm === false ? undefined : answers.pick ?? apply)
        : await choose(`Apply ${n} change(s) to ${this.target.schema}.${this.target.table} in one transaction?\n\n${shown.join('\n')}`, [apply, show]);
      if (answer === show) {
        const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: preview });
        await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
        if (answers.pick === show) return 'kept';
        continue;
      }
      if (answer !== apply) return 'kept';
      break;
    }
    await pg().applyChanges(this.session, g, this.changes());
    this.ctx.log.info(`applied ${n} change(s) to ${this.target.schema}.${this.target.table} on ${this.group}`);
    this.fresh = true;
    this.clear();
    void vscode.window.showInformationMessage(`Saved ${n} change(s) to ${this.target.schema}.${this.target.table}.`);
    return 'saved';
  }

  async discard(answers: Answers = {}): Promise<boolean> {
    if (!this.dirty) return false;
    const n = this.changes().length;
    if (!(await confirm(`Discard ${n} unsaved change(s) to ${this.target.schema}.${this.target.table}?`, 'Discard', answers))) return false;
    this.clear();
    return true;
  }

  private clear(): void {
    this.updates.clear();
    this.inserts.clear();
    this.deletes.clear();
    this.versions.clear();
    this.changed.fire();
  }

  dispose(): void {
    void this.grid?.close();
    this.changed.dispose();
  }
}
