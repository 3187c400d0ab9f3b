import type { Database } from 'sql.js';
import { num, objects, scalar, str } from './sqlite';
import type { DbStats } from './schemaTypes';

/** The figures the tree shows on a database node. */
export function readStats(db: Database): DbStats {
  const pageSize = num(scalar(db, 'PRAGMA page_size'));
  const pageCount = num(scalar(db, 'PRAGMA page_count'));
  const counts = new Map(
    objects(db, "SELECT type, count(*) AS n FROM sqlite_schema WHERE name NOT GLOB 'sqlite_*' OR type = 'index' GROUP BY type").map((r) => [str(r.type), num(r.n)]),
  );
  return {
    sizeBytes: pageSize * pageCount,
    pageSize,
    pageCount,
    freelistCount: num(scalar(db, 'PRAGMA freelist_count')),
    sqliteVersion: str(scalar(db, 'SELECT sqlite_version()')),
    encoding: str(scalar(db, 'PRAGMA encoding')),
    userVersion: num(scalar(db, 'PRAGMA user_version')),
    tables: counts.get('table') ?? 0,
    views: counts.get('view') ?? 0,
    indexes: counts.get('index') ?? 0,
    triggers: counts.get('trigger') ?? 0,
  };
}
