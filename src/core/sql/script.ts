import { skipComment, skipQuoted } from './sqltext';

/** One statement of a script, with where it sits in the script text. */
export interface ScriptStatement {
  sql: string;
  /** Offsets into the script: `start` at the first token, `end` just past the terminating `;` (or the text). */
  start: number;
  end: number;
}

const isQuote = (c: string | undefined): boolean => c === "'" || c === '"' || c === '`' || c === '[';
const WORD = /[A-Za-z_]\w*/y;

/**
 * Splits a script into statements without preparing them (a later statement may name a table an
 * earlier one creates). A `;` inside quotes, comments or a trigger's BEGIN ... END does not split.
 */
export function splitStatements(script: string): ScriptStatement[] {
  if (typeof script !== 'string') throw new TypeError('splitStatements: script must be a string');
  const out: ScriptStatement[] = [];
  let start = -1;
  let words: string[] = [];
  let depth = 0; // BEGIN/CASE ... END nesting inside CREATE TRIGGER
  const push = (end: number): void => {
    if (start >= 0) {
      const sql = script.slice(start, end).trim();
      if (sql !== '' && sql !== ';') out.push({ sql, start, end });
    }
    start = -1;
    words = [];
    depth = 0;
  };
  for (let i = 0; i < script.length; ) {
    const c = script[i] as string;
    const afterComment = skipComment(script, i);
    if (afterComment !== i) {
      i = afterComment;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (start < 0) start = i;
    if (isQuote(c)) {
      i = skipQuoted(script, i);
      continue;
    }
    WORD.lastIndex = i;
    const w = WORD.exec(script);
    if (w) {
      const word = w[0].toUpperCase();
      if (words.length < 4) words.push(word);
      if (isTrigger(words)) {
        if (word === 'BEGIN' || word === 'CASE') depth++;
        else if (word === 'END' && depth > 0) depth--;
      }
      i += w[0].length;
      continue;
    }
    if (c === ';' && depth === 0) {
      push(i + 1);
      i++;
      continue;
    }
    i++;
  }
  push(script.length);
  return out;
}

function isTrigger(words: string[]): boolean {
  return words[0] === 'CREATE' && (words[1] === 'TRIGGER' || ((words[1] === 'TEMP' || words[1] === 'TEMPORARY') && words[2] === 'TRIGGER'));
}

/**
 * What "Run Query" runs: the statements a non-empty selection touches, else the statement under
 * the cursor (or the one just before it), else all of them.
 */
export function pickStatements(script: string, at: { selection?: [number, number]; offset?: number } = {}): ScriptStatement[] {
  const all = splitStatements(script);
  const sel = at.selection;
  if (sel && sel[1] > sel[0]) {
    const text = script.slice(sel[0], sel[1]);
    return splitStatements(text).map((s) => ({ ...s, start: s.start + sel[0], end: s.end + sel[0] }));
  }
  if (at.offset !== undefined) {
    const offset = at.offset;
    const hit = all.find((s) => offset >= s.start && offset <= s.end) ?? [...all].reverse().find((s) => s.end <= offset) ?? all[0];
    return hit ? [hit] : [];
  }
  return all;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
