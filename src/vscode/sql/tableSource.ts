import * as vscode from 'vscode';
import { messageOf, storageError } from '../../core/errors';
import type { CursorInfo, Filter } from '../../lazy/sql';
import type { Ctx } from '../ctx';
import type { GridCell, GridFilter, GridInput, GridKey, GridRow, GridSort } from '../webviews/gridProtocol';
import type { GridShape, GridSource, PendingChanges } from '../webviews/gridSource';
import { affinity, inputToWire, isNumericAffinity } from './cellInput';
import type { Databases, OpenDb } from './databases';
import { PendingLedger } from './pendingLedger';

/** One tally per open database: every grid of it shows the same pending count. */
const ledgers = new WeakMap<OpenDb, PendingLedger>();

/**
 * A table or view of an open SQLite database as a grid source. Edits change the in-memory
 * database at once (as queries do); Save writes the file through the "Save Database" command.
 */
export class SqliteTableSource implements GridSource {
  readonly group: string;
  readonly title: string;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private info: CursorInfo | undefined;
  private readonly ledger: PendingLedger;
  private readonly sub: vscode.Disposable;

  constructor(private readonly ctx: Ctx, private readonly dbs: Databases, private readonly db: OpenDb, private readonly table: string) {
    this.group = db.id;
    this.title = `${table} — ${db.label}`;
    this.ledger = ledgers.get(db) ?? new PendingLedger();
    ledgers.set(db, this.ledger);
    this.sub = dbs.onDidChange((d) => {
      if (d !== undefined && d !== db) return;
      // Saved or discarded (here, from the tree, or by a cancel that reloaded): nothing is pending.
      if (!db.session.dirty) this.ledger.clear();
      this.changed.fire();
    });
  }

  async open(q: { sort?: GridSort; filters: GridFilter[] }): Promise<GridShape> {
    const old = this.info;
    if (old) void this.db.session.call('closeCursor', { cursor: old.cursor }).catch(() => undefined);
    this.info = await this.db.session.call('openCursor', { table: this.table, filters: q.filters as Filter[], ...(q.sort ? { sort: q.sort } : {}) });
    const info = this.info;
    const columns = info.columns.map((c) => ({
      name: c.name, type: c.type, numeric: isNumericAffinity(affinity(c.type)), key: c.pk > 0 || info.key.includes(c.name), notNull: c.notNull,
      ...(c.generated ? { readOnly: `${c.name} is a generated column: SQLite computes it.` } : {}),
    }));
    const why = this.db.readOnly ? `${this.db.label} is open read-only.`
      : !info.editable ? `${this.table} is a view or has no key to tell its rows apart; change it with a query.` : undefined;
    return { columns, total: info.total, ...(why ? { readOnlyReason: why } : {}) };
  }

  private cursor(): CursorInfo {
    if (!this.info) throw storageError('BadInput', 'The grid is not open yet.');
    return this.info;
  }

  async page(req: { offset: number; limit: number }): Promise<{ offset: number; rows: GridRow[] }> {
    const info = this.cursor();
    const page = await this.db.session.call('page', { cursor: info.cursor, offset: req.offset, limit: req.limit });
    return { offset: page.offset, rows: this.ledger.mark(this.table, info.columns.map((c) => c.name), page.rows) };
  }

  fullCell(key: GridKey, column: string): Promise<GridCell> {
    return this.db.session.call('cell', { table: this.table, key, column });
  }

  async valueBytes(key: GridKey, column: string): Promise<Uint8Array> {
    return (await this.db.session.call('cellValue', { table: this.table, key, column })).bytes;
  }

  private writable(): CursorInfo {
    if (this.db.readOnly) throw storageError('NoPermission', `${this.db.label} is open read-only. Reopen it with "Open as Database" and allow editing to change rows.`);
    return this.cursor();
  }

  async update(key: GridKey, column: string, input: GridInput): Promise<void> {
    const col = this.writable().columns.find((c) => c.name === column);
    if (!col) throw storageError('BadInput', `${this.table} has no column ${column}. Refresh the grid.`);
    await this.db.session.call('update', { table: this.table, key, values: { [column]: inputToWire(input, affinity(col.type)) } });
    this.ledger.update(this.table, key, column);
    await this.dbs.refresh(this.db);
  }

  async insert(): Promise<void> {
    this.writable();
    let key: GridKey;
    try {
      key = await this.db.session.call('insert', { table: this.table, values: {} });
    } catch (e) {
      const m = /NOT NULL constraint failed: (\S+)/.exec(messageOf(e));
      if (m) throw storageError('BadInput', `Insert Row adds a row of default values, but ${m[1]} is NOT NULL without a default. Add the row with a query (New Query: INSERT INTO ...).`);
      throw e;
    }
    this.ledger.insert(this.table, key);
    await this.dbs.refresh(this.db);
  }

  async delete(keys: GridKey[], confirm: boolean): Promise<boolean> {
    this.writable();
    if (keys.length === 0) throw storageError('BadInput', 'Select the rows to delete first (click a row number; Shift+click extends).');
    if (confirm) {
      const what = keys.length === 1 ? `the row with key ${JSON.stringify(keys[0])}` : `${keys.length.toLocaleString()} rows`;
      const go = 'Delete';
      const answer = await vscode.window.showWarningMessage(`Delete ${what} from ${this.table} in ${this.db.label}?`, { modal: true, detail: 'Nothing is written to the file until you save; Discard brings the rows back.' }, go);
      if (answer !== go) return false;
    }
    try {
      for (const key of keys) {
        await this.db.session.call('delete', { table: this.table, key });
        this.ledger.delete(this.table, key);
      }
    } finally {
      await this.dbs.refresh(this.db);
    }
    this.ctx.log.info(`deleted ${keys.length} row(s) from ${this.table} in ${this.db.label}`);
    return true;
  }

  get dirty(): boolean {
    return this.db.session.dirty;
  }

  pending(): PendingChanges {
    return this.ledger.counts(this.db.session.dirty);
  }

  async save(): Promise<void> {
    await vscode.commands.executeCommand('storageInspector.sql.saveDatabase', this.db.id);
  }

  async discard(): Promise<boolean> {
    // The command asks first and re-reads every grid of the database itself.
    await vscode.commands.executeCommand('storageInspector.sql.discardChanges', this.db.id);
    return false;
  }

  dispose(): void {
    const info = this.info;
    if (info) void this.db.session.call('closeCursor', { cursor: info.cursor }).catch(() => undefined);
    this.sub.dispose();
    this.changed.dispose();
  }
}
