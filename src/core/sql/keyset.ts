import type { Value } from './sqlite';

/** One ORDER BY term of a keyset: an SQL expression (already quoted) and its direction. */
export interface OrderTerm {
  expr: string;
  desc: boolean;
  /** Only the first (sort) column may hold NULLs; row keys never do. */
  nullable: boolean;
}

export function orderBy(terms: readonly OrderTerm[]): string {
  return terms.map((t) => `${t.expr}${t.desc ? ' DESC' : ''}`).join(', ');
}

/**
 * WHERE text (with `?` placeholders, pushed to `params`) for rows at or after `anchor` in the
 * order of `terms`. Written as `a >= ? AND (a > ? OR ...)` so an index on `a` serves it, with
 * SQLite's NULL order (first when ascending, last when descending) for a nullable sort column.
 */
export function afterCondition(terms: readonly OrderTerm[], anchor: readonly Value[], inclusive: boolean, params: Value[]): string {
  const [t, ...rest] = terms;
  const v = anchor[0] ?? null;
  if (!t) return inclusive ? '1' : '0';
  if (rest.length === 0 && !t.nullable) {
    params.push(v);
    return `${t.expr} ${t.desc ? '<' : '>'}${inclusive ? '=' : ''} ?`;
  }
  const tail = (): string => afterCondition(rest, anchor.slice(1), inclusive, params);
  if (v === null) {
    // The anchor sits among the NULLs of the sort column.
    if (!t.desc) {
      const inner = tail();
      return `(${t.expr} IS NOT NULL OR (${t.expr} IS NULL AND ${inner}))`;
    }
    const inner = tail();
    return `(${t.expr} IS NULL AND ${inner})`;
  }
  const op = t.desc ? '<' : '>';
  params.push(v, v);
  const head = `${t.expr} ${op}= ? AND (${t.expr} ${op} ? OR ${tail()})`;
  return t.desc && t.nullable ? `(${t.expr} IS NULL OR (${head}))` : `(${head})`;
}
