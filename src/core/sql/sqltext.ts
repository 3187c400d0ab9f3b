/** Small lexical helpers over SQL text: enough to find the parts of CREATE statements that pragmas omit. */

/** Index just past the quoted run that starts at `i` ('...', "...", `...`, [...]). */
export function skipQuoted(sql: string, i: number): number {
  const open = sql[i];
  const close = open === '[' ? ']' : open;
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === close) {
      if (close !== ']' && sql[j + 1] === close) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return sql.length;
}

/** Index just past a comment at `i` (`--` to end of line, or a block comment), or `i` when none starts there. */
export function skipComment(sql: string, i: number): number {
  if (sql.startsWith('--', i)) {
    const nl = sql.indexOf('\n', i);
    return nl < 0 ? sql.length : nl + 1;
  }
  if (sql.startsWith('/*', i)) {
    const end = sql.indexOf('*/', i + 2);
    return end < 0 ? sql.length : end + 2;
  }
  return i;
}

const isQuote = (c: string | undefined): boolean => c === "'" || c === '"' || c === '`' || c === '[';

/** Indices of the characters from `from` on that are SQL code: outside quotes and comments. */
function* codeIndices(sql: string, from = 0): Generator<number> {
  for (let i = from; i < sql.length; ) {
    if (isQuote(sql[i])) {
      i = skipQuoted(sql, i);
      continue;
    }
    const after = skipComment(sql, i);
    if (after !== i) {
      i = after;
      continue;
    }
    yield i;
    i++;
  }
}

/** The index of the parenthesis that closes the one at `open`, or -1. */
export function matchParen(sql: string, open: number): number {
  let depth = 0;
  for (const i of codeIndices(sql, open)) {
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits on commas at parenthesis depth 0, outside quotes and comments; parts are trimmed. */
export function splitTopLevel(sql: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (const i of codeIndices(sql)) {
    const c = sql[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(sql.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(sql.slice(start).trim());
  return parts.filter((p) => p !== '');
}

/** Position of the first `(` outside quotes and comments at or after `from`. */
export function firstParen(sql: string, from = 0): number {
  for (const i of codeIndices(sql, from)) if (sql[i] === '(') return i;
  return -1;
}

/**
 * Key terms and WHERE clause of a CREATE INDEX statement: the pragmas give neither the text of an
 * expression column nor a partial index's condition.
 */
export function parseCreateIndex(sql: string): { terms: string[]; where?: string } {
  const onMatch = /\bON\b/i.exec(sql);
  const open = firstParen(sql, onMatch ? onMatch.index : 0);
  const close = open < 0 ? -1 : matchParen(sql, open);
  if (open < 0 || close < 0) return { terms: [] };
  const terms = splitTopLevel(sql.slice(open + 1, close)).map(stripOrdering);
  const rest = sql.slice(close + 1);
  const where = /^\s*WHERE\s+([\s\S]*?)\s*;?\s*$/i.exec(rest);
  return where?.[1] ? { terms, where: where[1] } : { terms };
}

/** `expr COLLATE x DESC` -> `expr`: the pragmas already report collation and direction. */
function stripOrdering(term: string): string {
  return term.replace(/\s+(ASC|DESC)\s*$/i, '').replace(/\s+COLLATE\s+("[^"]*"|\S+)\s*$/i, '').trim();
}

/** Module name and arguments of CREATE VIRTUAL TABLE ... USING module(args). */
export function parseVirtualTable(sql: string): { module: string; args: string[] } | undefined {
  const m = /\bUSING\s+("[^"]+"|\w+)\s*/i.exec(sql);
  if (!m?.[1]) return undefined;
  const module = m[1].replace(/^"|"$/g, '');
  const open = firstParen(sql, m.index + m[0].length);
  const close = open < 0 ? -1 : matchParen(sql, open);
  const args = open >= 0 && close > open ? splitTopLevel(sql.slice(open + 1, close)) : [];
  return { module, args };
}
