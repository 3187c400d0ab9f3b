import { storageError } from '../errors';
import { previewLiteral, qualified, quoteIdent } from './ident';
import { toPgError } from './pgError';
import type { TableGrid } from './tableGrid';
import type { PgSession } from './session';

/** A change collected in the grid; `version` is the xmin the row had when it was read. */
export type RowChange =
  | { op: 'update'; key: string[]; version: string; values: Record<string, string | null> }
  | { op: 'insert'; values: Record<string, string | null> }
  | { op: 'delete'; key: string[]; version: string };

interface Statement { text: string; params: (string | null)[]; change: RowChange }

/**
 * The statements for a batch of changes. Updates and deletes name the row by key and by its version
 * (xmin), so a row another session changed since it was read matches nothing: a Conflict, not an overwrite.
 */
export function editStatements(grid: TableGrid, changes: RowChange[]): Statement[] {
  if (!grid.editable) throw storageError('BadInput', `"${grid.schema}"."${grid.table}" cannot be edited here (views, foreign tables and tables without a key are read-only).`);
  const t = qualified(grid.schema, grid.table);
  const type = (c: string) => {
    const col = grid.columns.find((x) => x.name === c);
    if (!col) throw storageError('BadInput', `"${grid.table}" has no column "${c}".`);
    return col.type;
  };
  return changes.map((ch): Statement => {
    if (ch.op === 'insert') {
      const cols = Object.keys(ch.values);
      if (cols.length === 0) return { text: `INSERT INTO ${t} DEFAULT VALUES`, params: [], change: ch };
      return { text: `INSERT INTO ${t} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map((c, i) => `$${i + 1}::${type(c)}`).join(', ')})`, params: cols.map((c) => ch.values[c] ?? null), change: ch };
    }
    const sets = ch.op === 'update' ? Object.keys(ch.values) : [];
    if (ch.op === 'update' && sets.length === 0) throw storageError('BadInput', 'An update must change at least one column.');
    const setSql = sets.map((c, i) => `${quoteIdent(c)} = $${i + 1}::${type(c)}`).join(', ');
    const km = grid.keyMatch(ch.key, sets.length + 1);
    const cond = `${km.sql} AND xmin::text = $${sets.length + km.params.length + 1}`;
    const params = [...sets.map((c) => (ch.op === 'update' ? ch.values[c] ?? null : null)), ...km.params, ch.version];
    const text = ch.op === 'update' ? `UPDATE ${t} SET ${setSql} WHERE ${cond}` : `DELETE FROM ${t} WHERE ${cond}`;
    return { text, params, change: ch };
  });
}

/** The SQL a user confirms before applying: the same statements with the values inlined for reading. */
export function previewSql(statements: Statement[]): string {
  return ['BEGIN;', ...statements.map((s) => `${s.text.replace(/\$(\d+)/g, (_, n: string) => previewLiteral(s.params[Number(n) - 1] ?? null))};`), 'COMMIT;'].join('\n');
}

/** Applies every change in one transaction: all of them, or none (a Conflict or a server error rolls back). */
export async function applyChanges(s: PgSession, grid: TableGrid, changes: RowChange[]): Promise<{ applied: number }> {
  const statements = editStatements(grid, changes);
  return s.withClient(async (c) => {
    await c.query('BEGIN');
    try {
      for (const [i, st] of statements.entries()) {
        let res;
        try {
          res = await c.query(st.text, st.params);
        } catch (e) {
          throw toPgError(e, s.where);
        }
        if (st.change.op !== 'insert' && res.rowCount !== 1) {
          throw storageError('Conflict', `Change ${i + 1} of ${statements.length} was not applied: the row with key (${st.change.key.join(', ')}) was changed or deleted by someone else since it was read. Nothing was saved; reload the rows and make the change again.`);
        }
      }
      await c.query('COMMIT');
      return { applied: statements.length };
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  });
}
