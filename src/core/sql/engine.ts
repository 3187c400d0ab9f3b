import type { Database, SqlJsStatic } from 'sql.js';
import { type StorageError, storageError } from '../errors';
import { createIndex, deleteRow, dropIndex, insertRow, updateRow } from './edit';
import { type DiskImage, readDiskImage } from './diskImage';
import { checkHeader } from './header';
import { explainPlan } from './plan';
import type { Op, Opened, Ops } from './protocol';
import { runStatements } from './query';
import { Pager, readCell, readCellValue } from './rows';
import { readSchema } from './schema';
import type { Schema } from './schemaTypes';
import { pickStatements } from './script';
import { num, scalar } from './sqlite';
import { fromSqlite } from './sqliteErrors';
import { readStats } from './stats';

/** Reads the file with its -wal applied; this runs in the worker, so only the worker waits. */
function readDbFile(path: string | undefined, name: string): DiskImage {
  if (!path) throw new TypeError('open: bytes or path is required');
  return readDiskImage(path, name);
}

type Handler<K extends Op> = (args: Ops[K]['args']) => Ops[K]['result'];

/**
 * Owns one sql.js Database inside the worker. Dirty means: rows changed (total_changes) or the
 * schema changed (schema_version) since it was opened or last saved.
 */
export class Engine {
  private db: Database | undefined;
  private schemaCache: Schema | undefined;
  private pager: Pager | undefined;
  private baseline = { changes: 0, schema: 0 };
  private exported: { changes: number; schema: number } | undefined;
  /** The open file's name, for messages. */
  private name = 'The database';

  constructor(readonly SQL: SqlJsStatic) {}

  get dirty(): boolean {
    if (!this.db) return false;
    const now = this.counters();
    return now.changes !== this.baseline.changes || now.schema !== this.baseline.schema;
  }

  /** Changes and schema version now, to tell whether a request wrote; undefined with no database. */
  mark(): string | undefined {
    if (!this.db) return undefined;
    const c = this.counters();
    return `${c.changes}:${c.schema}`;
  }

  private counters(): { changes: number; schema: number } {
    const db = this.need();
    return { changes: num(scalar(db, 'SELECT total_changes()')), schema: num(scalar(db, 'PRAGMA schema_version')) };
  }

  private need(): Database {
    if (!this.db) throw storageError('Unavailable', 'No database is open in the SQL engine. Open the database again.');
    return this.db;
  }

  private schema(): Schema {
    this.schemaCache ??= readSchema(this.need());
    return this.schemaCache;
  }

  /** After anything that may write: stale schema and paging anchors are dropped. */
  private changed(): void {
    this.schemaCache = undefined;
    this.pager?.invalidate();
  }

  readonly handlers: { [K in Op]: Handler<K> } = {
    ping: () => null,
    open: ({ bytes: given, path, name, image: early }) => {
      const image = given ? undefined : (early ?? readDbFile(path, name));
      const bytes = given ?? (image as DiskImage).bytes;
      const header = checkHeader(bytes, name);
      this.name = name;
      if (header.walMode) {
        // The in-memory file has no -wal beside it; legacy mode reads what the main file holds.
        bytes[18] = 1;
        bytes[19] = 1;
      }
      this.db?.close();
      // sql.js's in-memory file system keeps `data.slice()`: for a Uint8Array that is a full
      // copy (twice the memory, ~60 ms per 100 MB); a Buffer's slice is a view of the same bytes.
      const db = new this.SQL.Database(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      this.db = db;
      try {
        scalar(db, 'SELECT count(*) FROM sqlite_schema');
      } catch (e) {
        this.db = undefined;
        db.close();
        throw storageError('Integrity', `${name} has a SQLite header but its schema cannot be read (${String((e as Error).message ?? e)}). The file is damaged; restore it from a backup.`, e);
      }
      db.run('PRAGMA foreign_keys = ON');
      this.pager = new Pager(db, () => this.schema());
      this.changed();
      this.baseline = this.counters();
      this.exported = undefined;
      const opened: Opened = { stats: readStats(db) };
      if (image) opened.disk = image.state;
      if (image?.readOnlyReason !== undefined) opened.readOnlyReason = image.readOnlyReason;
      return opened;
    },
    stats: () => readStats(this.need()),
    schema: () => this.schema(),
    openCursor: (q) => this.pager!.open(q),
    page: ({ cursor, offset, limit }) => this.pager!.page(cursor, offset, limit),
    closeCursor: ({ cursor }) => (this.pager?.close(cursor), null),
    cell: ({ table, key, column }) => readCell(this.need(), this.schema(), table, key, column),
    cellValue: ({ table, key, column }) => readCellValue(this.need(), this.schema(), table, key, column),
    run: ({ script, offset, selection, maxRows }) => {
      const at: { offset?: number; selection?: [number, number] } = {};
      if (offset !== undefined) at.offset = offset;
      if (selection !== undefined) at.selection = selection;
      const before = this.counters();
      try {
        return runStatements(this.need(), script, pickStatements(script, at), maxRows, this.name);
      } finally {
        const after = this.counters();
        if (after.changes !== before.changes || after.schema !== before.schema) this.changed();
      }
    },
    explain: ({ sql }) => explainPlan(this.need(), sql),
    insert: ({ table, values }) => this.write(() => insertRow(this.need(), this.schema(), table, values)),
    update: ({ table, key, values }) => this.write(() => (updateRow(this.need(), this.schema(), table, key, values), null)),
    delete: ({ table, key }) => this.write(() => (deleteRow(this.need(), this.schema(), table, key), null)),
    createIndex: (spec) => this.write(() => (createIndex(this.need(), this.schema(), spec), null)),
    dropIndex: ({ name }) => this.write(() => (dropIndex(this.need(), this.schema(), name), null)),
    export: () => {
      const bytes = this.need().export();
      this.exported = this.counters();
      return bytes;
    },
    markSaved: () => {
      // The state that was exported is the one saved; later edits stay dirty.
      this.baseline = this.exported ?? this.counters();
      return null;
    },
  };

  /** A failure as the user should read it: a damaged page is Integrity, not bad input. */
  explain(e: unknown): StorageError {
    return fromSqlite(e, this.name);
  }

  /** Frees the database. */
  close(): void {
    this.db?.close();
    this.db = undefined;
    this.pager = undefined;
    this.schemaCache = undefined;
  }

  private write<T>(f: () => T): T {
    try {
      return f();
    } finally {
      this.changed();
    }
  }
}
