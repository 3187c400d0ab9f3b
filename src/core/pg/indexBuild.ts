import { storageError } from '../errors';
import { qualified, quoteIdent } from './ident';
import { toPgError } from './pgError';
import { PgSession } from './session';

export const INDEX_METHODS = ['btree', 'hash', 'gin', 'gist', 'spgist', 'brin'] as const;

/** A column name, or an expression written by the user (kept as SQL, in parentheses). */
export type IndexKey = ({ column: string } | { expression: string }) & { opclass?: string; descending?: boolean; nullsFirst?: boolean };

export interface IndexSpec {
  schema: string;
  table: string;
  name: string;
  method: (typeof INDEX_METHODS)[number];
  keys: IndexKey[];
  include?: string[];
  /** A partial index's predicate, SQL written by the user. */
  where?: string;
  unique?: boolean;
  concurrently?: boolean;
}

export interface IndexProgress { phase: string; blocksDone: number; blocksTotal: number; tuplesDone: number; tuplesTotal: number }

/** The CREATE INDEX statement for a spec; names are quoted, user expressions stay as written (shown in the preview). */
export function createIndexSql(spec: IndexSpec): string {
  if (!(INDEX_METHODS as readonly string[]).includes(spec.method)) throw storageError('BadInput', `Index method ${spec.method} is not one of ${INDEX_METHODS.join(', ')}.`);
  if (spec.keys.length === 0) throw storageError('BadInput', 'An index needs at least one column or expression.');
  if (spec.unique && spec.method !== 'btree') throw storageError('BadInput', 'Only btree indexes can be unique.');
  const keys = spec.keys.map((k) => {
    let s = 'column' in k ? quoteIdent(k.column) : `(${k.expression})`;
    if (k.opclass) s += ` ${k.opclass.split('.').map(quoteIdent).join('.')}`;
    if (k.descending) s += ' DESC';
    if (k.nullsFirst !== undefined) s += k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
    return s;
  });
  return [`CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX ${spec.concurrently ? 'CONCURRENTLY ' : ''}${quoteIdent(spec.name)} ON ${qualified(spec.schema, spec.table)} USING ${spec.method} (${keys.join(', ')})`,
    spec.include?.length ? ` INCLUDE (${spec.include.map(quoteIdent).join(', ')})` : '', spec.where ? ` WHERE ${spec.where}` : ''].join('');
}

/** A running CREATE INDEX: progress comes from pg_stat_progress_create_index; cancel() sends a CancelRequest. */
export interface IndexBuild { done: Promise<void>; cancel(): Promise<void> }

export async function createIndex(s: PgSession, spec: IndexSpec, onProgress: (p: IndexProgress) => void, pollMs = 200): Promise<IndexBuild> {
  const sql = createIndexSql(spec);
  const c = await s.client();
  const pid = PgSession.pid(c);
  let finished = false;
  const poll = async () => {
    while (!finished) {
      try {
        const [r] = await s.query(`SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total FROM pg_stat_progress_create_index WHERE pid = $1`, [pid]);
        if (r && !finished) onProgress({ phase: String(r.phase), blocksDone: Number(r.blocks_done), blocksTotal: Number(r.blocks_total), tuplesDone: Number(r.tuples_done), tuplesTotal: Number(r.tuples_total) });
      } catch {
        return; // no progress view (PostgreSQL < 12 or restricted): the build goes on without figures
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  };
  const done = (async () => {
    const poller = poll();
    try {
      await c.query(sql);
    } catch (e) {
      const err = toPgError(e, s.where);
      if (err.code === 'Cancelled' && spec.concurrently) throw await cancelledConcurrently(s, spec);
      throw err;
    } finally {
      finished = true;
      c.release();
      await poller;
    }
  })();
  return { done, cancel: () => s.cancel(c) };
}

/**
 * What a cancelled CREATE INDEX CONCURRENTLY left: its first transaction adds the index to the
 * catalog (INVALID) before the build; a cancel before that (e.g. while it waits for the table's
 * lock) leaves nothing. The catalog says which, so the message never names an index that is not there.
 */
async function cancelledConcurrently(s: PgSession, spec: IndexSpec): Promise<Error> {
  const left = await s.query<{ valid: boolean }>(
    `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [spec.schema, spec.name]).catch(() => undefined);
  if (left === undefined) return storageError('Cancelled', `The index build was cancelled. A cancelled CONCURRENTLY build may leave an INVALID index "${spec.name}" behind: look for it in the table's indexes and drop it (Drop Index).`);
  if (left.length === 0) return storageError('Cancelled', `The index build was cancelled before it created "${spec.name}": no index was left behind.`);
  return storageError('Cancelled', `The index build was cancelled. It left an INVALID index "${spec.name}" behind, which queries do not use but writes still maintain: drop it (Drop Index).`);
}

/** DROP INDEX, optionally CONCURRENTLY (not inside a transaction, and not for a partitioned index). */
export async function dropIndex(s: PgSession, schema: string, name: string, concurrently = false): Promise<void> {
  await s.query(`DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${qualified(schema, name)}`, [], { retry: false });
}
