import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { listDatabases, listExtensions, listRelations, listSchemas } from '../../../src/core/pg/catalog';
import type { RelationInfo, TableDetails } from '../../../src/core/pg/catalogTypes';
import type { PgSession } from '../../../src/core/pg/session';
import { tableDetails } from '../../../src/core/pg/tableDetails';
import { openSession, pgSkip, psql, psqlRows } from '../../support/pgServer';
import { matchDescribe, PSQL_KINDS, q } from './describe';

const flat = (rels: RelationInfo[]): RelationInfo[] => rels.flatMap((r) => [r, ...flat(r.partitions ?? [])]);

describe('PostgreSQL schema tree matches psql', { skip: pgSkip }, () => {
  let s: PgSession;
  let rels: RelationInfo[];
  let details: Map<string, TableDetails>;
  before(async () => {
    s = await openSession();
    rels = [...flat(await listRelations(s, 'shop')), ...flat(await listRelations(s, 'odd schema'))];
    details = new Map([['shop', await tableDetails(s, 'shop')], ['odd schema', await tableDetails(s, 'odd schema')]]);
  });
  after(() => s?.close());

  it('lists the relations psql lists, with the same kinds, partitions under their table', async () => {
    for (const schema of ['shop', 'odd schema']) {
      const want = psqlRows(`\\dtvmsE ${q(schema)}.*`).map(([, name, type]) => `${name} ${type}`).sort();
      const got = rels.filter((r) => r.schema === schema).map((r) => `${r.name} ${PSQL_KINDS[r.kind]}`).sort();
      assert.deepEqual(got, want, schema);
    }
    const events = (await listRelations(s, 'shop')).find((r) => r.name === 'events')!;
    assert.equal(events.kind, 'partitioned');
    assert.equal(events.partitionKey, 'RANGE (at)');
    assert.deepEqual(events.partitions?.map((p) => [p.name, p.partitionBound]), [
      ['events_2025', "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')"], ['events_2026', "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"]]);
    assert.equal(rels.find((r) => r.name === 'remote_products')?.foreignServer, 'loopback');
    assert.deepEqual(rels.find((r) => r.name === 'invoice_no')?.sequence, { start: '1000', increment: '10', last: null });
  });

  it('for every fixture table: columns, indexes, constraints, triggers and policies match \\d+', () => {
    let checkedIndexes = 0;
    for (const r of rels.filter((x) => x.kind !== 'sequence')) {
      checkedIndexes += matchDescribe(r, details.get(r.schema)!, psql(`\\d+ ${q(r.schema)}.${q(r.name)}`, { tuples: false }));
    }
    assert.ok(checkedIndexes >= 25, `checked ${checkedIndexes} indexes`);
  });

  it('has every index kind, the INVALID index, and every FK action and constraint kind', () => {
    const all = details.get('shop')!;
    assert.deepEqual([...new Set(all.indexes.map((i) => i.method))].sort(), ['brin', 'btree', 'gin', 'gist', 'hash', 'spgist']);
    assert.equal(all.indexes.find((i) => i.name === 'orders_one_invalid')?.valid, false);
    const fks = all.constraints.filter((c) => c.kind === 'foreign key');
    assert.deepEqual([...new Set(fks.flatMap((f) => [f.references!.onDelete, f.references!.onUpdate]))].sort(), ['CASCADE', 'NO ACTION', 'RESTRICT', 'SET DEFAULT', 'SET NULL']);
    assert.deepEqual([...new Set(all.constraints.map((c) => c.kind))].sort(), ['check', 'exclusion', 'foreign key', 'primary key', 'unique']);
    const cust = all.columns.filter((c) => c.table === 'customers');
    assert.equal(cust.find((c) => c.name === 'id')?.identity, 'always');
    assert.equal(cust.find((c) => c.name === 'name')?.collation, 'C');
    assert.equal(cust.find((c) => c.name === 'name_upper')?.generated, 'upper(name)');
    const email = all.indexes.find((i) => i.name === 'customers_email_lower')!;
    assert.deepEqual(email.columns.map((c) => [c.definition, c.expression, c.key]), [['lower(email)', true, true], ['name', false, false]]);
  });

  it('costs a fixed number of queries per level, whatever the number of objects', async () => {
    const cost = async (f: () => Promise<unknown>) => { const n = s.queriesSent; await f(); return s.queriesSent - n; };
    assert.equal(await cost(() => listDatabases(s)), 1);
    assert.equal(await cost(() => listSchemas(s)), 1);
    assert.equal(await cost(() => listExtensions(s)), 1);
    assert.equal(await cost(() => listRelations(s, 'shop')), 1);
    assert.equal(await cost(() => listRelations(s, 'odd schema')), 1);
    assert.equal(await cost(() => tableDetails(s, 'shop')), 5, 'all tables of a schema');
    assert.equal(await cost(() => tableDetails(s, 'shop', 'products')), 5, 'one table');
  });

  it('lists databases, schemas and extensions as psql does; an unreadable schema is an error of its own', async () => {
    assert.deepEqual((await listDatabases(s)).map((d) => d.name), psqlRows('SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1').map((r) => r[0]));
    assert.deepEqual((await listExtensions(s)).map((e) => `${e.name} ${e.version}`), psqlRows('\\dx').map((r) => `${r[0]} ${r[1]}`));
    const schemas = await listSchemas(s);
    assert.equal(schemas.find((x) => x.name === 'secret')?.usable, false);
    await assert.rejects(listRelations(s, 'secret'), (e) => isStorageError(e) && e.code === 'NoPermission' && /no USAGE on it/.test(e.message));
    assert.ok((await listRelations(s, 'shop')).length > 10, 'the rest of the tree still shows');
    await assert.rejects(listRelations(s, 'no such schema'), (e) => isStorageError(e) && e.code === 'NotFound');
  });
});
