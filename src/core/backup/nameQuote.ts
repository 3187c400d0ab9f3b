// restic stores each tree node's name as Go's strconv.Quote would print it, without the outer
// quotes (so `"` and `\` and control characters are escaped inside the JSON string as well).

const NAMED: Record<string, string> = { '\x07': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v' };
const UNNAMED: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };
// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.Quote(name) without its quotes. */
export function quoteName(name: string): string {
  let out = '';
  for (const ch of name) {
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (PRINTABLE.test(ch)) out += ch;
    else if (NAMED[ch]) out += '\\' + NAMED[ch];
    else {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0');
      else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    }
  }
  return out;
}

/** strconv.Unquote of `"name"`; byte escapes (`\xff`, names that were not UTF-8) decode as UTF-8. */
export function unquoteName(quoted: string): string {
  if (!quoted.includes('\\')) return quoted;
  const bytes: number[] = [];
  const pushText = (s: string) => bytes.push(...Buffer.from(s, 'utf8'));
  for (let i = 0; i < quoted.length; i++) {
    const c = quoted[i]!;
    if (c !== '\\') {
      const cp = quoted.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      pushText(s);
      i += s.length - 1;
      continue;
    }
    const e = quoted[++i];
    if (e === undefined) break;
    if (UNNAMED[e] !== undefined) pushText(UNNAMED[e]);
    else if (e === 'x') { bytes.push(parseInt(quoted.slice(i + 1, i + 3), 16)); i += 2; }
    else if (e === 'u') { pushText(String.fromCodePoint(parseInt(quoted.slice(i + 1, i + 5), 16))); i += 4; }
    else if (e === 'U') { pushText(String.fromCodePoint(parseInt(quoted.slice(i + 1, i + 9), 16))); i += 8; }
    else if (e >= '0' && e <= '7') { bytes.push(parseInt(quoted.slice(i, i + 3), 8)); i += 2; }
    else pushText(e);
  }
  return Buffer.from(bytes).toString('utf8');
}
