import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { treeRows } from '../treeRows';
import { isPgNode, type PgNode } from './nodes';

export const treeCommands: CommandSpec[] = [
  { id: 'pg.refresh', run: (ctx: Ctx, node?: unknown) => ctx.pg.refresh(isPgNode(node) ? node : undefined) },
  // For tests: the rows under a node (the connections when omitted), `depth` more levels down.
  { id: 'pg.internal.rows', run: async (ctx: Ctx, node?: PgNode, depth?: number) => treeRows(ctx.pg.tree, await ctx.pg.tree.getChildren(node), depth) },
  // For tests: the session's facts and pool counters (never the password).
  {
    id: 'pg.internal.session',
    run: async (ctx: Ctx, connectionId: string, database?: string) => {
      const s = await ctx.pg.session(connectionId, database);
      return { where: s.where, describe: s.describe(), counters: s.counters(), readOnly: s.options.readOnly === true };
    },
  },
];
