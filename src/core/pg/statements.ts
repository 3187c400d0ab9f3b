/** One statement of a script: its text and where it sits (character offsets, `end` exclusive). */
export interface ScriptStatement { sql: string; start: number; end: number }

/**
 * Splits a PostgreSQL script at top-level semicolons. Quotes ('...', E'...' with backslash escapes,
 * "..."), dollar quotes ($$...$$, $tag$...$tag$), -- comments and nested /* comments *\/ are skipped
 * whole, so a semicolon inside them never splits. Blank and comment-only pieces are left out; each
 * statement's text starts at its first token, so the server's error positions map back exactly.
 */
export function splitStatements(script: string): ScriptStatement[] {
  const out: ScriptStatement[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  const push = (end: number) => {
    const first = firstToken(script, start, end);
    if (first < end) out.push({ sql: script.slice(first, end).trimEnd(), start: first, end: first + script.slice(first, end).trimEnd().length });
  };
  while (i < n) {
    const c = script[i]!;
    if (c === '-' && script[i + 1] === '-') i = lineEnd(script, i);
    else if (c === '/' && script[i + 1] === '*') i = blockEnd(script, i);
    else if (c === "'") i = quoteEnd(script, i, /[eE]/.test(script[i - 1] ?? '') && !/[\w$]/.test(script[i - 2] ?? ''));
    else if (c === '"') i = identEnd(script, i);
    else if (c === '$' && !/[\w$]/.test(script[i - 1] ?? '')) i = dollarEnd(script, i);
    else if (c === ';') {
      push(i);
      start = ++i;
    } else i++;
  }
  push(n);
  return out;
}

/** The statement under `offset` (the one it is in, else the nearest one before it, else the first after). */
export function statementAt(script: string, offset: number): ScriptStatement | undefined {
  const all = splitStatements(script);
  let best: ScriptStatement | undefined;
  for (const s of all) {
    if (s.start <= offset) best = s;
    if (offset <= s.end + 1 && s.start <= offset) return s;
  }
  return best ?? all[0];
}

function firstToken(s: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    if (/\s/.test(s[i]!)) i++;
    else if (s[i] === '-' && s[i + 1] === '-') i = lineEnd(s, i);
    else if (s[i] === '/' && s[i + 1] === '*') i = blockEnd(s, i);
    else break;
  }
  return Math.min(i, to);
}

function lineEnd(s: string, i: number): number {
  const j = s.indexOf('\n', i);
  return j < 0 ? s.length : j + 1;
}

function blockEnd(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    if (s[i] === '/' && s[i + 1] === '*') { depth++; i += 2; }
    else if (s[i] === '*' && s[i + 1] === '/') { depth--; i += 2; if (depth === 0) return i; }
    else i++;
  }
  return s.length;
}

function quoteEnd(s: string, i: number, backslashes: boolean): number {
  i++;
  while (i < s.length) {
    if (backslashes && s[i] === '\\') i += 2;
    else if (s[i] === "'") {
      if (s[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  return s.length;
}

function identEnd(s: string, i: number): number {
  i++;
  while (i < s.length) {
    if (s[i] === '"') {
      if (s[i + 1] === '"') i += 2;
      else return i + 1;
    } else i++;
  }
  return s.length;
}

function dollarEnd(s: string, i: number): number {
  const m = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(s.slice(i, i + 64));
  if (!m) return i + 1; // $1, a parameter
  const tag = m[0];
  const close = s.indexOf(tag, i + tag.length);
  return close < 0 ? s.length : close + tag.length;
}
