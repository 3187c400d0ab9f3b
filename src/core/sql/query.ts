import type { Database } from 'sql.js';
import { StorageError, messageOf } from '../errors';
import { BoundedRows, RESULT_BUDGET_BYTES, cellBytes } from './bounded';
import type { Cell } from './cells';
import { lineColumn, type ScriptStatement } from './script';
import { corruptionMessage, isCorruption } from './sqliteErrors';

export interface StatementResult {
  sql: string;
  start: number;
  columns: string[];
  rows: Cell[][];
  /** More rows existed than were kept (maxRows, or the bytes all results may take). */
  truncated: boolean;
  /** Rows changed by an INSERT, UPDATE or DELETE; 0 otherwise. */
  changes: number;
  ms: number;
}

/** Where a failing statement sits in the script, for the editor to highlight. */
export interface QueryErrorDetail {
  statement: string;
  index: number;
  offset: number;
  line: number;
  column: number;
}

export class QueryError extends StorageError {
  constructor(message: string, readonly detail: QueryErrorDetail, code: 'BadInput' | 'Integrity' = 'BadInput') {
    super(code, message);
  }
}

/**
 * Runs statements one by one (each sees the previous one's effect); stops at the first error.
 * Cells come back as previews (see BoundedRows), and all results together stay within a budget.
 */
export function runStatements(db: Database, script: string, statements: ScriptStatement[], maxRows = 1000, name = 'The database'): StatementResult[] {
  const out: StatementResult[] = [];
  let budget = RESULT_BUDGET_BYTES;
  statements.forEach((s, index) => {
    const started = performance.now();
    let stmt: ReturnType<Database['prepare']> | undefined;
    try {
      const before = db.exec('SELECT total_changes()')[0]?.values[0]?.[0];
      const reader = BoundedRows.from(db, s.sql, db.prepare(s.sql));
      stmt = reader.statement;
      const rows: Cell[][] = [];
      let truncated = false;
      for (let row = reader.next(); row; row = reader.next()) {
        budget -= row.reduce<number>((n, c) => n + cellBytes(c), 0);
        if (rows.length >= maxRows || budget < 0) {
          truncated = true;
          break;
        }
        rows.push(row);
      }
      const columns = reader.columns;
      reader.free();
      stmt = undefined;
      const after = db.exec('SELECT total_changes()')[0]?.values[0]?.[0];
      out.push({ sql: s.sql, start: s.start, columns, rows, truncated, changes: Number(after ?? 0) - Number(before ?? 0), ms: performance.now() - started });
    } catch (e) {
      stmt?.free();
      throw positioned(script, s, index, messageOf(e), name);
    }
  });
  return out;
}

/** SQLite says `near "frm": syntax error`; find that token in the statement to point at it. */
function positioned(script: string, s: ScriptStatement, index: number, message: string, name: string): QueryError {
  const near = /near "((?:[^"]|"")*)"/.exec(message)?.[1]?.replace(/""/g, '"');
  const within = near ? Math.max(0, s.sql.indexOf(near)) : 0;
  const offset = s.start + within;
  const { line, column } = lineColumn(script, offset);
  const short = s.sql.length > 200 ? `${s.sql.slice(0, 200)}...` : s.sql;
  const detail = { statement: s.sql, index, offset, line, column };
  // A damaged page is no fault of the statement: say that the file is damaged.
  if (isCorruption(message)) return new QueryError(`Statement ${index + 1} stopped: ${corruptionMessage(name, message)}`, detail, 'Integrity');
  return new QueryError(`Statement ${index + 1} failed at line ${line}, column ${column}: ${message}. Fix it and run again.\n${short}`, {
    statement: s.sql, index, offset, line, column,
  });
}
