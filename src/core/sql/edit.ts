import type { Database } from 'sql.js';
import { storageError } from '../errors';
import { type WireValue, fromWire, toWire } from './cells';
import { quoteIdent } from './ident';
import { type Value, num, query, scalar } from './sqlite';
import type { Schema, Table } from './schemaTypes';

/** Values for a row, by column name, as they come from the grid. */
export type RowValues = Record<string, WireValue>;

function editableTable(schema: Schema, name: string): Table {
  const t = schema.tables.find((x) => x.name === name);
  if (!t) throw storageError('NotFound', `There is no table named ${quoteIdent(name)}. Refresh the SQL view.`);
  if (t.kind === 'virtual' && t.moduleAvailable === false) throw storageError('BadInput', `${quoteIdent(name)} is a ${t.module ?? 'virtual'} table this SQLite build cannot write. Use the sqlite3 CLI.`);
  if (t.key.length === 0) throw storageError('BadInput', `${quoteIdent(name)} has no rowid or primary key, so its rows cannot be told apart. Edit it with a query.`);
  return t;
}

function assignments(t: Table, values: RowValues): { cols: string[]; params: Value[] } {
  const cols: string[] = [];
  const params: Value[] = [];
  for (const [name, v] of Object.entries(values)) {
    const col = t.columns.find((c) => c.name === name);
    if (!col) throw storageError('BadInput', `${quoteIdent(t.name)} has no column ${quoteIdent(name)}.`);
    if (col.hidden === 'virtual' || col.hidden === 'stored') throw storageError('BadInput', `${quoteIdent(name)} is a generated column; SQLite computes it.`);
    cols.push(quoteIdent(name));
    params.push(fromWire(v, `values[${JSON.stringify(name)}]`));
  }
  return { cols, params };
}

function keyWhere(t: Table, key: WireValue[], params: Value[]): string {
  if (!Array.isArray(key) || key.length !== t.key.length) throw new TypeError(`key must have ${t.key.length} value(s) for ${t.name}`);
  key.forEach((k, i) => params.push(fromWire(k, `key[${i}]`)));
  return t.key.map((k) => `${t.keyIsRowid ? k : quoteIdent(k)} IS ?`).join(' AND ');
}

/** Inserts a row and returns its key. */
export function insertRow(db: Database, schema: Schema, table: string, values: RowValues): WireValue[] {
  const t = editableTable(schema, table);
  const { cols, params } = assignments(t, values);
  const sql = cols.length === 0
    ? `INSERT INTO ${quoteIdent(table)} DEFAULT VALUES`
    : `INSERT INTO ${quoteIdent(table)} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
  query(db, sql, params);
  if (num(scalar(db, 'SELECT changes()')) === 0) throw ignored(t, 'inserted', 'INSERT');
  if (t.withoutRowid) return t.key.map((k) => toWire(fromWire(values[k] ?? null)));
  const rowid = scalar(db, 'SELECT last_insert_rowid()');
  if (t.keyIsRowid) return [toWire(rowid)];
  const keyParams: Value[] = [rowid];
  return query(db, `SELECT ${t.key.map(quoteIdent).join(', ')} FROM ${quoteIdent(table)} WHERE rowid = ?`, keyParams).rows[0]?.map(toWire) ?? [];
}

/** Updates the row with this key; NotFound when it is gone. */
export function updateRow(db: Database, schema: Schema, table: string, key: WireValue[], values: RowValues): void {
  const t = editableTable(schema, table);
  const { cols, params } = assignments(t, values);
  if (cols.length === 0) return;
  const where = keyWhere(t, key, params);
  query(db, `UPDATE ${quoteIdent(table)} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE ${where}`, params);
  if (num(scalar(db, 'SELECT changes()')) === 0) throw unchanged(db, t, key, 'changed');
}

export function deleteRow(db: Database, schema: Schema, table: string, key: WireValue[]): void {
  const t = editableTable(schema, table);
  const params: Value[] = [];
  const where = keyWhere(t, key, params);
  query(db, `DELETE FROM ${quoteIdent(table)} WHERE ${where}`, params);
  if (num(scalar(db, 'SELECT changes()')) === 0) throw unchanged(db, t, key, 'deleted');
}

/**
 * SQLite reported no changed row. Either the row is gone, or it is there and something skipped
 * the statement on purpose: a trigger's RAISE(IGNORE), or a constraint declared ON CONFLICT IGNORE.
 */
function unchanged(db: Database, t: Table, key: WireValue[], what: 'changed' | 'deleted'): Error {
  const params: Value[] = [];
  const where = keyWhere(t, key, params);
  if (query(db, `SELECT 1 FROM ${quoteIdent(t.name)} WHERE ${where}`, params).rows.length === 0) {
    return storageError('NotFound', `That row of ${quoteIdent(t.name)} no longer exists. Refresh the grid.`);
  }
  return ignored(t, what, what === 'changed' ? 'UPDATE' : 'DELETE');
}

function ignored(t: Table, what: 'changed' | 'deleted' | 'inserted', event: 'INSERT' | 'UPDATE' | 'DELETE'): Error {
  const triggers = t.triggers.filter((x) => new RegExp(`\\b${event}\\b`, 'i').test(x.sql)).map((x) => quoteIdent(x.name));
  const conflictIgnore = /ON\s+CONFLICT\s+IGNORE/i.test(t.sql ?? '');
  const causes = [
    ...(triggers.length > 0 ? [`a trigger (${triggers.join(', ')}) skipped it with RAISE(IGNORE)`] : []),
    ...(conflictIgnore && event !== 'DELETE' ? ['a constraint declared ON CONFLICT IGNORE skipped it'] : []),
  ];
  const why = causes.length > 0 ? causes.join(', or ') : 'the database skipped it without an error';
  const row = what === 'inserted' ? 'The new row' : 'The row';
  return storageError('BadInput', `${row} of ${quoteIdent(t.name)} was not ${what}: SQLite ran the ${event} but ${why}. Check that table's triggers and constraints, or make the change with a query.`);
}

export interface IndexSpec {
  name: string;
  table: string;
  columns: { name: string; desc?: boolean; collate?: string }[];
  unique?: boolean;
  /** A partial index's condition, as SQL text the user wrote. */
  where?: string;
}

export function createIndex(db: Database, schema: Schema, spec: IndexSpec): void {
  const t = schema.tables.find((x) => x.name === spec.table);
  if (!t) throw storageError('NotFound', `There is no table named ${quoteIdent(spec.table)}.`);
  if (typeof spec.name !== 'string' || spec.name.trim() === '') throw storageError('BadInput', 'The index needs a name.');
  if (!Array.isArray(spec.columns) || spec.columns.length === 0) throw storageError('BadInput', 'Choose at least one column for the index.');
  const terms = spec.columns.map((c) => {
    if (!t.columns.some((x) => x.name === c.name)) throw storageError('BadInput', `${quoteIdent(spec.table)} has no column ${quoteIdent(c.name)}.`);
    if (c.collate !== undefined && !/^\w+$/.test(c.collate)) throw storageError('BadInput', `Collation ${JSON.stringify(c.collate)} is not a collation name.`);
    return `${quoteIdent(c.name)}${c.collate ? ` COLLATE ${c.collate}` : ''}${c.desc ? ' DESC' : ''}`;
  });
  const where = spec.where?.trim() ? ` WHERE ${spec.where}` : '';
  if (where.includes(';')) throw storageError('BadInput', 'The WHERE condition of an index must be one expression, without ";".');
  query(db, `CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(spec.name)} ON ${quoteIdent(spec.table)} (${terms.join(', ')})${where}`);
}

export function dropIndex(db: Database, schema: Schema, name: string): void {
  const idx = schema.indexes.find((i) => i.name === name);
  if (!idx) throw storageError('NotFound', `There is no index named ${quoteIdent(name)}.`);
  if (idx.origin !== 'c') throw storageError('BadInput', `${quoteIdent(name)} enforces a ${idx.origin === 'pk' ? 'PRIMARY KEY' : 'UNIQUE'} constraint; it goes only with its table.`);
  query(db, `DROP INDEX ${quoteIdent(name)}`);
}
