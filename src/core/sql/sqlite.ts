import type { Database, Statement } from 'sql.js';

/** A value as SQLite stores it; integers beyond 2^53 stay exact as bigint. */
export type Value = null | number | bigint | string | Uint8Array;

type Bindable = Parameters<Statement['bind']>[0];

/** Integers come back exact: as number when safe, as bigint otherwise. */
function normalize(v: unknown): Value {
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  return v as Value;
}

export interface Result {
  columns: string[];
  rows: Value[][];
}

/** Runs one statement with bound values and returns every row. */
export function query(db: Database, sql: string, params: readonly Value[] = []): Result {
  const stmt = db.prepare(sql);
  try {
    if (params.length > 0) stmt.bind(params as unknown as Bindable);
    const rows: Value[][] = [];
    const get = stmt.get.bind(stmt) as (p: null, config: { useBigInt: boolean }) => unknown[];
    while (stmt.step()) rows.push(get(null, { useBigInt: true }).map(normalize));
    return { columns: stmt.getColumnNames(), rows };
  } finally {
    stmt.free();
  }
}

/** Rows as objects keyed by column name. */
export function objects(db: Database, sql: string, params: readonly Value[] = []): Record<string, Value>[] {
  const { columns, rows } = query(db, sql, params);
  return rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
}

/** The first column of the first row, or null. */
export function scalar(db: Database, sql: string, params: readonly Value[] = []): Value {
  return query(db, sql, params).rows[0]?.[0] ?? null;
}

export const str = (v: Value | undefined): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v));
export const num = (v: Value | undefined): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(v ?? 0));
