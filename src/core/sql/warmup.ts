import type { SqlJsStatic } from 'sql.js';
import { Engine } from './engine';
import { readSchema } from './schema';
import { readStats } from './stats';

const SCHEMA_ROUNDS = 3;

/**
 * V8 compiles wasm functions on first call. Running the schema, stats and paging paths once on
 * a tiny in-memory database makes a spare engine's first real open pay for none of that.
 */
export function warmUp(SQL: SqlJsStatic): void {
  const db = new SQL.Database();
  try {
    db.run(`CREATE TABLE a(id INTEGER PRIMARY KEY, x TEXT NOT NULL COLLATE NOCASE DEFAULT '', y REAL, g AS (x || y) VIRTUAL);
      CREATE TABLE b(a_id INTEGER REFERENCES a(id) ON DELETE CASCADE, k TEXT, PRIMARY KEY (a_id, k)) WITHOUT ROWID;
      CREATE INDEX a_xy ON a(lower(x), y DESC) WHERE y > 0; CREATE UNIQUE INDEX a_x ON a(x);
      CREATE VIEW v AS SELECT * FROM a; CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET y = 1 WHERE id = new.id; END;
      INSERT INTO a(x, y) VALUES ('w', 1), ('z', 2);`);
    readStats(db);
    // Wasm starts in the baseline compiler and tiers up to the optimizing one only once a function
    // has run enough. Reading a 40-table schema a few times gets the open and schema paths there:
    // on the 111 MB bench database the first schema read went from ~17 to ~10 ms and the open
    // from ~104 to ~72 ms (medians of 5), for ~100 ms more of the spare's own start-up.
    db.run(Array.from({ length: 40 }, (_, i) => `CREATE TABLE w${i}(id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c REAL);
      CREATE INDEX w${i}_a ON w${i}(a); CREATE INDEX w${i}_cb ON w${i}(c DESC, b);`).join(''));
    for (let i = 0; i < SCHEMA_ROUNDS; i++) readSchema(db);
    const engine = new Engine(SQL);
    engine.handlers.open({ bytes: db.export(), name: 'warm-up' });
    const c = engine.handlers.openCursor({ table: 'a', sort: { column: 'x', desc: false } });
    engine.handlers.page({ cursor: c.cursor, offset: 1, limit: 10 });
    engine.close();
  } finally {
    db.close();
  }
}
