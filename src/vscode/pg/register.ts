import type { Ctx } from '../ctx';

/**
 * Puts the PostgreSQL connections into the SQL view, after its SQLite databases. The PgServices
 * (and node-postgres) are made only when the view first lists its root.
 */
export function register(ctx: Ctx): void {
  ctx.sql.tree.guest = () => ctx.pg.tree;
}
