import type { Database, Statement } from 'sql.js';
import { type Cell, BLOB_PREVIEW_BYTES, TEXT_PREVIEW_CHARS, toCell } from './cells';
import { quoteIdent } from './ident';
import type { Value } from './sqlite';

/** Bytes of cells one run may hand back (previews are short, but a result may be wide). */
export const RESULT_BUDGET_BYTES = 8 << 20;

/** A name no user table is likely to have: the wrapper must not shadow one the query reads. */
const WRAP = 'si_bounded_result_q';

type Getter = (p: null, config: { useBigInt: boolean }) => Value[];

/** Rough bytes a cell costs on its way to the webview (JSON text). */
export function cellBytes(c: Cell): number {
  if (c === null || typeof c === 'number') return 8;
  if (typeof c === 'string') return c.length * 2 + 2;
  if (c.t === 'blob') return c.hex.length + 24;
  return c.v.length * 2 + 24;
}

/**
 * A statement that returns rows, read so that no value leaves SQLite whole: a SELECT is wrapped
 * so SQLite itself cuts each text or BLOB to its preview and reports the full length; any other
 * statement (PRAGMA, EXPLAIN, ... RETURNING) cannot be wrapped and is cut after reading.
 */
export class BoundedRows {
  private constructor(private readonly stmt: Statement, private readonly wrapped: boolean, readonly columns: string[]) {}

  /** `stmt` is the prepared statement; it is freed here when a wrapped one replaces it. */
  static from(db: Database, sql: string, stmt: Statement): BoundedRows {
    const columns = stmt.getColumnNames();
    if (columns.length === 0) return new BoundedRows(stmt, false, columns);
    const names = columns.map((_, i) => quoteIdent(`c${i}`));
    const cells = names.flatMap((n) => [
      `CASE WHEN typeof(${n}) = 'text' AND length(${n}) > ${TEXT_PREVIEW_CHARS} THEN substr(${n}, 1, ${TEXT_PREVIEW_CHARS}) WHEN typeof(${n}) = 'blob' AND length(${n}) > ${BLOB_PREVIEW_BYTES} THEN substr(${n}, 1, ${BLOB_PREVIEW_BYTES}) ELSE ${n} END`,
      `CASE WHEN typeof(${n}) IN ('text', 'blob') THEN length(${n}) END`,
    ]);
    let wrapped: Statement;
    try {
      wrapped = db.prepare(`WITH ${WRAP}(${names.join(', ')}) AS (\n${sql.replace(/;\s*$/, '')}\n) SELECT ${cells.join(', ')} FROM ${WRAP}`);
    } catch {
      return new BoundedRows(stmt, false, columns);
    }
    stmt.free();
    return new BoundedRows(wrapped, true, columns);
  }

  get statement(): Statement {
    return this.stmt;
  }

  /** The next row as cells, or undefined at the end. */
  next(): Cell[] | undefined {
    if (!this.stmt.step()) return undefined;
    const v = (this.stmt.get.bind(this.stmt) as Getter)(null, { useBigInt: true });
    if (!this.wrapped) return v.map(cutCell);
    const out: Cell[] = [];
    for (let i = 0; i < v.length; i += 2) out.push(toCell(v[i] ?? null, v[i + 1] ?? null));
    return out;
  }

  free(): void {
    this.stmt.free();
  }
}

/** The same preview, cut in JS, for a value SQLite handed over whole. */
function cutCell(v: Value): Cell {
  if (typeof v === 'string' && v.length > TEXT_PREVIEW_CHARS) return toCell(v.slice(0, TEXT_PREVIEW_CHARS), v.length);
  if (v instanceof Uint8Array) return toCell(v.subarray(0, BLOB_PREVIEW_BYTES), v.length);
  return toCell(v);
}
