import * as vscode from 'vscode';
import { isCancelled, messageOf, storageError } from '../../core/errors';
import type { IndexKey, IndexProgress, IndexSpec } from '../../lazy/pg';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { pg } from '../lazy';
import { answersOf, confirm, input, pick, withProgress } from '../prompts';
import { isPgNode, type PgNode } from './nodes';
import { Steps, stepAnswersOf } from './wizard';

type TableNode = Extract<PgNode, { kind: 'pgRelation' }> | Extract<PgNode, { kind: 'pgTableGroup' }>;
type IndexNode = Extract<PgNode, { kind: 'pgIndex' }>;

/** Splits "a, lower(b), c DESC" at the commas that are not inside parentheses or quotes. */
export function splitKeys(text: string): string[] {
  const out: string[] = [];
  let depth = 0, quote = '', cur = '';
  for (const ch of text) {
    if (quote) { if (ch === quote) quote = ''; }
    else if (ch === '"' || ch === '\'') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** One key as typed: a column of the table (its name as shown, or quoted) with ASC/DESC/NULLS, else an expression. */
export function parseKey(text: string, columns: string[]): IndexKey {
  const m = /^(.*?)(?:\s+(ASC|DESC))?(?:\s+NULLS\s+(FIRST|LAST))?$/i.exec(text.trim())!;
  const base = m[1]!.trim();
  const order: Pick<IndexKey, 'descending' | 'nullsFirst'> = {};
  if (m[2]?.toUpperCase() === 'DESC') order.descending = true;
  if (m[3]) order.nullsFirst = m[3].toUpperCase() === 'FIRST';
  const unquoted = /^"((?:[^"]|"")+)"$/.exec(base)?.[1]?.replace(/""/g, '"') ?? base;
  if (columns.includes(unquoted)) return { column: unquoted, ...order };
  if (!base) throw storageError('BadInput', `"${text}" names no column or expression.`);
  return { expression: base.replace(/^\((.*)\)$/s, '$1'), ...order };
}

function tableOf(node: unknown): TableNode {
  if (isPgNode(node) && ((node.kind === 'pgRelation' && ['table', 'partitioned', 'partition', 'matview'].includes(node.info.kind)) || (node.kind === 'pgTableGroup' && node.group === 'indexes'))) return node as TableNode;
  throw storageError('BadInput', 'Choose a table (or its Indexes) in the SQL view, then "Create Index...".');
}

/** Asks for the method, keys, INCLUDE, WHERE, uniqueness, CONCURRENTLY and the name. Undefined when dismissed. */
async function ask(steps: Steps, schema: string, table: string, columns: string[]): Promise<IndexSpec | undefined> {
  const method = await steps.pick(pg().INDEX_METHODS.map((m) => m), { title: `Create index on ${schema}.${table}: access method`, ignoreFocusOut: true });
  if (!method) return undefined;
  const keysText = await steps.text({ title: 'Columns or expressions, in order, comma separated', placeHolder: `${columns.slice(0, 2).join(', ')}, lower(${columns[0] ?? 'name'}) DESC`, ignoreFocusOut: true,
    validateInput: (v) => { try { return splitKeys(v).length ? (splitKeys(v).map((k) => parseKey(k, columns)), undefined) : 'Name at least one column or expression'; } catch (e) { return (e as Error).message; } } });
  if (keysText === undefined) return undefined;
  const spec: IndexSpec = { schema, table, method, name: '', keys: splitKeys(keysText).map((k) => parseKey(k, columns)) };
  if (method === 'btree') {
    const include = await steps.text({ title: 'INCLUDE columns (stored in the index, not keys; empty for none)', ignoreFocusOut: true });
    if (include === undefined) return undefined;
    if (include.trim()) spec.include = splitKeys(include).map((c) => /^"((?:[^"]|"")+)"$/.exec(c)?.[1]?.replace(/""/g, '"') ?? c);
    const unique = await steps.pick(['Not unique', 'Unique'], { title: 'Uniqueness', ignoreFocusOut: true });
    if (!unique) return undefined;
    if (unique === 'Unique') spec.unique = true;
  }
  const where = await steps.text({ title: 'Partial index: WHERE predicate (empty for all rows)', ignoreFocusOut: true });
  if (where === undefined) return undefined;
  if (where.trim()) spec.where = where.trim();
  const how = await steps.pick(['Concurrently (no lock on writes; slower, not in a transaction)', 'Now (locks writes to the table while it builds)'], { title: 'Build', ignoreFocusOut: true });
  if (!how) return undefined;
  if (how.startsWith('Concurrently')) spec.concurrently = true;
  const firstName = spec.keys.map((k) => ('column' in k ? k.column : 'expr')).join('_').replace(/\W+/g, '_');
  const name = await steps.text({ title: 'Index name', value: `${table}_${firstName}_idx`.slice(0, 63), ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'An index needs a name') });
  if (name === undefined) return undefined;
  spec.name = name.trim();
  return spec;
}

function progressText(p: IndexProgress): string {
  const part = p.blocksTotal > 0 ? ` ${Math.round((p.blocksDone / p.blocksTotal) * 100)} % of blocks` : p.tuplesTotal > 0 ? ` ${Math.round((p.tuplesDone / p.tuplesTotal) * 100)} % of tuples` : '';
  return `${p.phase}${part}`;
}

/** Create Index...: prompts (or `{ spec }`), shows the statement, builds with progress and cancel. Returns the phases seen. */
async function createIndex(ctx: Ctx, node?: unknown, opts?: { spec?: Partial<IndexSpec>; steps?: unknown[]; confirm?: boolean }): Promise<{ name: string; phases: string[] } | undefined> {
  const t = tableOf(node);
  const schema = t.kind === 'pgRelation' ? t.info.schema : t.schema;
  const table = t.kind === 'pgRelation' ? t.info.name : t.table;
  const s = await ctx.pg.session(t.connectionId, t.database);
  const core = pg();
  const columns = (await core.tableDetails(s, schema, table)).columns.map((c) => c.name);
  const spec = opts?.spec ? ({ schema, table, method: 'btree', name: '', keys: [], ...opts.spec } as IndexSpec) : await ask(new Steps(stepAnswersOf(opts)), schema, table, columns);
  if (!spec) return undefined;
  const sql = core.createIndexSql(spec);
  if (!(await confirm(`Run this statement on ${t.database}?\n\n${sql}`, 'Create Index', answersOf(opts)))) return undefined;
  const phases: string[] = [];
  let progressed!: () => void;
  const entry = { cancel: async () => undefined as void, progressed: new Promise<void>((r) => (progressed = r)) };
  ctx.pg.startedBuild(entry);
  try {
    await withProgress(`Creating index ${spec.name} on ${schema}.${table}`, async (signal, report) => {
      const build = await core.createIndex(s, spec, (p) => {
        const text = progressText(p);
        if (phases[phases.length - 1] !== p.phase) phases.push(p.phase);
        report(text);
        // Past "initializing" a CONCURRENTLY build has put its index in the catalog: what a test's cancel waits for.
        if (p.phase !== 'initializing') progressed();
      });
      entry.cancel = () => build.cancel();
      signal.addEventListener('abort', () => void build.cancel());
      await build.done;
    });
  } catch (e) {
    // A cancel is silent elsewhere, but this one may leave an INVALID index behind: say whether it did.
    if (!isCancelled(e) || !spec.concurrently) throw e;
    void vscode.window.showWarningMessage(messageOf(e));
    return undefined;
  } finally {
    ctx.pg.builds.delete(entry);
    ctx.pg.tree.refreshTable(t, schema, table);
  }
  ctx.log.info(`created index ${spec.name} on ${schema}.${table} (${t.database})`);
  return { name: spec.name, phases };
}

/** Drop Index: confirmed by typing its name; CONCURRENTLY unless it is a partitioned index. */
async function dropIndex(ctx: Ctx, node?: unknown, opts?: unknown): Promise<boolean> {
  if (!isPgNode(node) || node.kind !== 'pgIndex') throw storageError('BadInput', 'Choose an index in the SQL view, then "Drop Index".');
  const i = (node as IndexNode).info;
  if (i.constraint) throw storageError('BadInput', `${i.name} belongs to the constraint ${i.constraint}; drop the constraint instead (ALTER TABLE ... DROP CONSTRAINT).`);
  const a = answersOf(opts);
  let concurrently = false;
  if (!i.partitioned) {
    const how = await pick(['Drop Concurrently', 'Drop Now'], { title: `Drop ${node.schema}.${i.name}: concurrently waits for running queries and takes no lock on writes` }, a);
    if (!how) return false;
    concurrently = how === 'Drop Concurrently';
  }
  const typed = await input({ title: `Type the index name "${i.name}" to drop it`, ignoreFocusOut: true, validateInput: (v) => (v === i.name ? undefined : `Type ${i.name} exactly`) }, a);
  if (typed === undefined) return false;
  if (typed !== i.name) throw storageError('BadInput', `"${typed}" is not the index name "${i.name}"; nothing was dropped.`);
  const s = await ctx.pg.session(node.connectionId, node.database);
  try {
    await pg().dropIndex(s, node.schema, i.name, concurrently);
  } finally {
    ctx.pg.tree.refreshTable(node, node.schema, i.table);
  }
  ctx.log.info(`dropped index ${i.name} on ${node.schema}.${i.table} (${node.database})`);
  return true;
}

export const indexCommands: CommandSpec[] = [
  { id: 'pg.createIndex', run: createIndex },
  { id: 'pg.dropIndex', run: dropIndex },
  // For tests: waits for an index build to start and report progress, then cancels it.
  {
    id: 'pg.internal.cancelIndexBuild',
    run: async (ctx: Ctx) => {
      const b = await ctx.pg.nextBuild();
      await b.progressed;
      await b.cancel();
      return true;
    },
  },
];
