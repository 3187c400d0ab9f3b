/** SQL identifier quoting: every name that reaches SQL text goes through here; values are always bound. */

/** Quotes an identifier for SQLite: `"name"` with embedded quotes doubled. */
export function quoteIdent(name: string): string {
  if (typeof name !== 'string') throw new TypeError('quoteIdent: name must be a string');
  if (name.includes('\0')) throw new RangeError('quoteIdent: name must not contain NUL');
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."name"` for objects in an attached schema (main by default). */
export function qualified(name: string, schema = 'main'): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** The hidden rowid alias a table does not shadow with a real column, or undefined. */
export function rowidAlias(columnNames: readonly string[]): string | undefined {
  const taken = new Set(columnNames.map((c) => c.toLowerCase()));
  return ['rowid', '_rowid_', 'oid'].find((a) => !taken.has(a));
}
