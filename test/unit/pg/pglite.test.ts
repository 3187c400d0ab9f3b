import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listDatabases, listExtensions, listRelations, listSchemas } from '../../../src/core/pg/catalog';
import type { RelationInfo } from '../../../src/core/pg/catalogTypes';
import { resolveConnection } from '../../../src/core/pg/config';
import { PgSession } from '../../../src/core/pg/session';
import { databaseStats, indexStats, tableStats } from '../../../src/core/pg/stats';
import { tableDetails } from '../../../src/core/pg/tableDetails';
import { startPglite, type Pglite } from '../../support/pgLite';
import { pgSkip } from '../../support/pgServer';
import { matchDescribe, PSQL_KINDS, q } from './describe';

const flat = (rels: RelationInfo[]): RelationInfo[] => rels.flatMap((r) => [r, ...flat(r.partitions ?? [])]);

// The same oracle as catalog.test.ts (psql's \d+), against a second server version. psql itself comes
// with the Debian cluster, so this runs where that one does.
describe('PostgreSQL catalog on a second server version (PGlite)', { skip: pgSkip, timeout: 180_000 }, () => {
  let lite: Pglite;
  let s: PgSession;
  before(async () => {
    lite = await startPglite();
    const { conn } = resolveConnection({ params: { host: '127.0.0.1', port: lite.port, database: 'postgres', user: 'postgres', sslmode: 'disable' }, password: 'pglite' },
      { env: {}, home: '/nonexistent', readFile: () => undefined, looseMode: () => undefined });
    s = await PgSession.open(conn, 'pglite', { max: 2 });
  });
  after(async () => { await s?.close(); lite?.stop(); });

  it('is another major version than the Debian cluster', async () => {
    const [r] = await s.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
    assert.ok(Number(r!.v) >= 120000, lite.version);
    assert.notEqual(Math.floor(Number(r!.v) / 10000), 15, `PGlite serves ${lite.version}`);
  });

  it('every fixture table matches psql\'s \\d+, with the same queries per level', async () => {
    for (const schema of ['shop', 'odd schema']) {
      const n0 = s.queriesSent;
      const rels = flat(await listRelations(s, schema));
      const details = await tableDetails(s, schema);
      assert.equal(s.queriesSent - n0, 6, 'one query for the relations, five for the details');
      const want = lite.psql(`\\dtvmsE ${q(schema)}.*`).split('\n').filter(Boolean).map((l) => l.split('\t')).map(([, name, type]) => `${name} ${type}`).sort();
      assert.deepEqual(rels.map((r) => `${r.name} ${PSQL_KINDS[r.kind]}`).sort(), want, schema);
      let checked = 0;
      for (const r of rels.filter((x) => x.kind !== 'sequence')) checked += matchDescribe(r, details, lite.psql(`\\d+ ${q(r.schema)}.${q(r.name)}`, false));
      if (schema === 'shop') assert.ok(checked >= 25, `checked ${checked} indexes`);
    }
  });

  it('databases, schemas and extensions list; statistics show what the server has and mark the rest', async () => {
    assert.ok((await listDatabases(s)).some((d) => d.name === 'postgres'));
    assert.ok((await listSchemas(s)).some((x) => x.name === 'shop' && x.usable));
    assert.ok((await listExtensions(s)).some((e) => e.name === 'pg_trgm'));
    assert.ok((await tableStats(s, 'shop')).some((t) => t.table === 'products' && t.totalBytes > 0));
    assert.deepEqual((await indexStats(s, 'shop', 'orders')).find((i) => i.index === 'orders_customer')?.duplicateOf, ['orders_customer_dup']);
    const db = await databaseStats(s);
    assert.equal(db.topStatements.ok, false, 'no pg_stat_statements in PGlite');
    assert.ok(!db.topStatements.ok && /not available here/.test(db.topStatements.reason));
  });
});
