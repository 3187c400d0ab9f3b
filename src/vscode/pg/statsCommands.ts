import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { pg } from '../lazy';
import { isPgNode, type PgNode } from './nodes';
import { databaseStatsText, indexStatsText, poolText, tableStatsText } from './statsText';

/** Opens a statistics document in an editor (unless told not to); returns its text. */
async function show(ctx: Ctx, title: string, text: string, opts?: { open?: boolean }): Promise<string> {
  const uri = ctx.pg.statsDocs.put(title, text);
  if (opts?.open !== false) {
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'markdown');
    // Plain text with padded tables: it reads as it is (the Markdown preview cannot load a virtual document).
    await vscode.window.showTextDocument(doc, { preview: false });
  }
  return text;
}

/** Table, index or database figures for the node; the text of the document it opens. */
async function showStatistics(ctx: Ctx, node?: unknown, opts?: { open?: boolean }): Promise<string> {
  if (!isPgNode(node) || !('database' in node)) throw storageError('BadInput', 'Choose a database, a table or an index in the SQL view, then "Show Statistics".');
  const s = await ctx.pg.session(node.connectionId, node.database);
  const name = ctx.pg.connections.get(node.connectionId).name;
  const where = `${node.database} on ${name} (${s.where})`;
  const core = pg();
  switch (node.kind) {
    case 'pgRelation': {
      const [t] = await core.tableStats(s, node.info.schema, node.info.name);
      if (!t) throw storageError('NotFound', `${node.info.schema}.${node.info.name} has no statistics: it is a ${node.info.kind}, or it was dropped. Refresh the tree.`);
      const idx = await core.indexStats(s, node.info.schema, node.info.name);
      return show(ctx, `${node.info.schema}.${node.info.name} statistics`, tableStatsText(where, node.info.schema, t, idx), opts);
    }
    case 'pgIndex': {
      const i = (await core.indexStats(s, node.schema, node.info.table)).find((x) => x.index === node.info.name);
      if (!i) throw storageError('NotFound', `The index ${node.schema}.${node.info.name} no longer exists. Refresh the tree.`);
      return show(ctx, `${node.schema}.${i.index} statistics`, indexStatsText(where, node.schema, i), opts);
    }
    case 'pgDatabase': {
      const d = await core.databaseStats(s);
      return show(ctx, `${node.database} statistics`, databaseStatsText(where, d, ctx.pg.counters(node.connectionId)), opts);
    }
    default:
      throw storageError('BadInput', 'Statistics are shown for databases, tables and indexes.');
  }
}

async function showPoolStatistics(ctx: Ctx, node?: unknown, opts?: { open?: boolean }): Promise<string> {
  const id = typeof node === 'string' ? node : isPgNode(node) && 'connectionId' in node ? (node as PgNode & { connectionId: string }).connectionId : undefined;
  if (!id) throw storageError('BadInput', 'Choose a PostgreSQL connection in the SQL view, then "Show Pool Statistics".');
  const c = ctx.pg.connections.get(id);
  const text = [`# Pools of ${c.name}`, '', 'One pool per database this extension opened: open connections, idle ones, callers waiting for one, the pool\'s size, and the statements sent.', '',
    poolText(ctx.pg.counters(id)), ''].join('\n');
  return show(ctx, `${c.name} pools`, text, opts);
}

export const statsCommands: CommandSpec[] = [
  { id: 'pg.showStatistics', run: showStatistics },
  { id: 'pg.showPoolStatistics', run: showPoolStatistics },
];
