import * as vscode from 'vscode';
import { isStorageError, messageOf, storageError } from '../../core/errors';
import type { Plan } from '../../lazy/pg';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { pg } from '../lazy';
import { answersOf, confirm } from '../prompts';
import type { GridKey } from '../webviews/gridProtocol';
import { isPgNode } from './nodes';
import { PlanView } from './planView';
import type { PgTarget, RunOutcome } from './queries';
import { PgTableSource } from './tableSource';

// Rows grid, query editor and plans of the PostgreSQL area. Each takes its target as an argument
// (a tree node, or the active query editor), so tests and other commands skip the prompts.

const editorOf = (): vscode.TextEditor => {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw storageError('BadInput', 'Open a PostgreSQL query editor first ("New Query" on a connection or database in the SQL view).');
  return editor;
};

/** Where a "New Query" goes: a database node names its database; a connection node means its configured one. */
async function targetOf(ctx: Ctx, arg: unknown): Promise<PgTarget> {
  const node = arg as { connectionId?: unknown; database?: unknown } | undefined;
  let connectionId = typeof node?.connectionId === 'string' ? node.connectionId : undefined;
  if (!connectionId) {
    const all = ctx.pg.connections.list();
    if (all.length !== 1) throw storageError('BadInput', all.length === 0 ? 'There is no PostgreSQL connection. Add one with "Add PostgreSQL Connection...".' : 'Choose a connection or database in the SQL view, then "New Query".');
    connectionId = all[0]!.id;
  }
  const conn = ctx.pg.connections.get(connectionId);
  let database = typeof node?.database === 'string' ? node.database : undefined;
  if (!database) database = (await ctx.pg.session(connectionId)).conn.database;
  return { connectionId, database, connection: conn.name };
}

/** The table a "Show Rows" is about, from its tree node (or the same fields passed by a test). */
function tableOf(arg: unknown): { connectionId: string; database: string; schema: string; table: string } {
  if (isPgNode(arg) && arg.kind === 'pgRelation') return { connectionId: arg.connectionId, database: arg.database, schema: arg.info.schema, table: arg.info.name };
  const a = arg as { connectionId?: unknown; database?: unknown; schema?: unknown; table?: unknown } | undefined;
  if (typeof a?.connectionId === 'string' && typeof a.database === 'string' && typeof a.schema === 'string' && typeof a.table === 'string')
    return { connectionId: a.connectionId, database: a.database, schema: a.schema, table: a.table };
  throw storageError('BadInput', 'Choose a table or view in the SQL view, then "Show Rows".');
}

function source(ctx: Ctx, panelKey: string): PgTableSource {
  const s = ctx.sql.grids.find(panelKey)?.source;
  if (!(s instanceof PgTableSource)) throw storageError('NotFound', `No PostgreSQL grid ${panelKey}. Open it with "Show Rows".`);
  return s;
}

/** EXPLAIN of the statement under the cursor; Explain Analyze of a statement that changes data asks first. */
async function explainCommand(ctx: Ctx, analyze: boolean, answers: unknown): Promise<Plan | undefined> {
  const editor = editorOf();
  const { target, session } = await ctx.pg.queries.sessionOf(editor.document);
  const stmt = await ctx.pg.queries.statementOf(editor);
  const core = pg();
  if (analyze && core.changesData(stmt.sql)) {
    const ok = await confirm(`Explain Analyze runs the statement. It changes data, so it runs inside a transaction that is rolled back: nothing stays changed, but it takes the locks and time the statement takes. Run it?`, 'Run and Roll Back', answersOf(answers));
    if (!ok) return undefined;
  }
  const plan = await core.explain(session, stmt.sql, analyze);
  PlanView.show(ctx, `pg:${target.connectionId}/${target.database}`, `${target.database} @ ${target.connection}`, stmt.sql, plan);
  ctx.log.info(`${analyze ? 'explain analyze' : 'explain'} on ${target.database} @ ${target.connection}: ${plan.root.nodeType}${plan.executionMs !== undefined ? `, ${plan.executionMs.toFixed(1)} ms` : ''}`);
  return plan;
}

export const queryCommands: CommandSpec[] = [
  {
    id: 'pg.showRows',
    run: async (ctx, arg?: unknown) => {
      const t = tableOf(arg);
      const label = `${t.database} @ ${ctx.pg.connections.get(t.connectionId).name}`;
      const session = await ctx.pg.session(t.connectionId, t.database);
      const key = `pg:${t.connectionId}/${t.database}\n${t.schema}.${t.table}`;
      const panel = await ctx.sql.grids.showTable(ctx, key, () => new PgTableSource(ctx, session, t, label));
      const shape = (panel.source as PgTableSource | undefined)?.shape;
      return { panel: panel.key, estimate: panel.cursor?.total ?? 0, note: shape?.note, readOnly: shape?.readOnlyReason, columns: shape?.columns.map((c) => c.name) };
    },
  },
  {
    id: 'pg.newQuery',
    run: async (ctx, arg?: unknown, text?: string) => {
      const editor = await ctx.pg.queries.newQuery(await targetOf(ctx, arg), typeof text === 'string' ? text : undefined);
      return editor.document.uri.toString();
    },
  },
  { id: 'pg.runQuery', run: (ctx): Promise<RunOutcome> => ctx.pg.queries.run(editorOf()) },
  {
    id: 'pg.fetchMore',
    run: (ctx) => {
      const t = ctx.pg.queries.targetOf(editorOf().document);
      if (!t) throw storageError('BadInput', 'This editor is not bound to a PostgreSQL database.');
      return ctx.pg.queries.fetchMore(`pg:${t.connectionId}/${t.database}`);
    },
  },
  { id: 'pg.cancelQuery', run: (ctx, key?: unknown) => ctx.pg.queries.cancel(typeof key === 'string' ? key : undefined) },
  { id: 'pg.explainQuery', run: (ctx) => explainCommand(ctx, false, undefined) },
  { id: 'pg.explainAnalyze', run: (ctx, answers?: unknown) => explainCommand(ctx, true, answers) },
  // For tests: what a grid's webview would ask of its source, by the panel key "Show Rows" returned.
  {
    id: 'pg.internal.grid',
    run: async (ctx, panelKey: string, op: string, ...args: unknown[]) => {
      const s = source(ctx, panelKey);
      switch (op) {
        case 'page': return s.page({ offset: Number(args[0]), limit: Number(args[1]) });
        case 'sort': return s.open({ sort: args[0] as { column: string; desc: boolean }, filters: [] });
        case 'update': await s.update(args[0] as GridKey, String(args[1]), args[2] === null ? null : { text: String(args[2]) }); return s.pending();
        case 'insert': await s.insert(); return s.pending();
        case 'delete': await s.delete(args[0] as GridKey[]); return s.pending();
        case 'fullCell': return s.fullCell(args[0] as GridKey, String(args[1]));
        case 'preview': return s.previewSql();
        case 'save':
          // The outcome, or the error a user would see (a Conflict), for the test to check.
          try { return await s.apply(answersOf(args[0])); } catch (e) { return { error: isStorageError(e) ? e.code : 'Unknown', message: messageOf(e), pending: s.pending() }; }
        case 'discard': return s.discard(answersOf(args[0]));
        default: throw storageError('BadInput', `Unknown grid operation ${op}.`);
      }
    },
  },
  // For tests: the backend pid of the statement started for `key` (waits for the start, not for time).
  { id: 'pg.internal.started', run: (ctx, key: string) => ctx.pg.queries.started(key) },
];
