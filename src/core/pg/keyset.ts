import { quoteIdent } from './ident';

/** One ORDER BY term with its type, so an anchor value can be bound as `$n::type`. */
export interface OrderTerm { expr: string; type: string; descending: boolean; nullable: boolean }

/** `ORDER BY` text; NULLs sort last ascending and first descending, as PostgreSQL's default, but stated. */
export function orderBy(terms: OrderTerm[]): string {
  return terms.map((t) => `${t.expr} ${t.descending ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`).join(', ');
}

/**
 * A predicate that keeps the rows strictly after `values` in `terms` order, NULLs included, with
 * parameters numbered from `first`. All-ascending NOT NULL keys (the usual primary key) become a row
 * comparison that the key's btree index can seek on.
 */
export function afterPredicate(terms: OrderTerm[], values: (string | null)[], first: number): { sql: string; params: (string | null)[] } {
  const params: (string | null)[] = [];
  const bind = (v: string | null, t: OrderTerm) => { params.push(v); return `$${first + params.length - 1}::${t.type}`; };
  if (terms.every((t) => !t.descending && !t.nullable) && values.every((v) => v !== null)) {
    const lhs = terms.map((t) => t.expr).join(', ');
    const rhs = terms.map((t, i) => bind(values[i]!, t)).join(', ');
    return { sql: terms.length === 1 ? `${lhs} > ${rhs}` : `(${lhs}) > (${rhs})`, params };
  }
  const build = (i: number): string => {
    if (i === terms.length) return 'false';
    const t = terms[i]!;
    const v = values[i]!;
    const rest = build(i + 1);
    if (v === null) {
      // ASC NULLS LAST: after a NULL come only later NULLs; DESC NULLS FIRST: every non-NULL too.
      return t.descending ? `(${t.expr} IS NOT NULL OR (${t.expr} IS NULL AND ${rest}))` : `(${t.expr} IS NULL AND ${rest})`;
    }
    const p = bind(v, t);
    const beyond = t.descending ? `${t.expr} < ${p}` : `${t.expr} > ${p}`;
    const nulls = !t.descending && t.nullable ? ` OR ${t.expr} IS NULL` : '';
    return `(${beyond}${nulls} OR (${t.expr} = ${p} AND ${rest}))`;
  };
  return { sql: build(0), params };
}

/** A filter term as SQL with its bound value; `contains` matches the text form, with LIKE's wildcards escaped. */
export function filterSql(column: string, type: string, op: string, value: string | undefined, n: number): { sql: string; params: string[] } {
  const c = quoteIdent(column);
  if (op === 'is null') return { sql: `${c} IS NULL`, params: [] };
  if (op === 'is not null') return { sql: `${c} IS NOT NULL`, params: [] };
  const v = value ?? '';
  if (op === 'contains') return { sql: `${c}::text ILIKE '%' || $${n} || '%' ESCAPE '\\'`, params: [v.replace(/[\\%_]/g, (m) => `\\${m}`)] };
  if (!['=', '<>', '<', '<=', '>', '>='].includes(op)) throw new RangeError(`filter operator ${op} is not supported`);
  return { sql: `${c} ${op} $${n}::${type}`, params: [v] };
}
