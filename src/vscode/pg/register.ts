import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { STATS_SCHEME } from './statsDocs';

/**
 * Puts the PostgreSQL connections into the SQL view, after its SQLite databases, and serves the
 * statistics documents. PgServices is made when first needed; node-postgres loads with a session.
 */
export function register(ctx: Ctx): void {
  ctx.sql.tree.guest = () => ctx.pg.tree;
  ctx.subscribe(vscode.workspace.registerTextDocumentContentProvider(STATS_SCHEME, {
    provideTextDocumentContent: (uri) => ctx.pg.statsDocs.provideTextDocumentContent(uri),
  }));
}
