/** PostgreSQL identifier and literal quoting: every name that reaches SQL text goes through here. */

/** `"name"` with embedded quotes doubled; NUL cannot appear in a PostgreSQL name. */
export function quoteIdent(name: string): string {
  if (typeof name !== 'string') throw new TypeError('quoteIdent: name must be a string');
  if (name.includes('\0')) throw new RangeError('quoteIdent: name must not contain NUL');
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."name"`. */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * A literal for the SQL *preview* only (standard_conforming_strings on); execution always binds
 * values as parameters.
 */
export function previewLiteral(v: string | null): string {
  if (v === null) return 'NULL';
  return `'${v.replace(/'/g, "''")}'`;
}
