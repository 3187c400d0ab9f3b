import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { listDatabases, listExtensions, listRelations, listSchemas } from '../../../src/core/pg/catalog';
import type { IndexInfo, RelationInfo, TableDetails } from '../../../src/core/pg/catalogTypes';
import type { PgSession } from '../../../src/core/pg/session';
import { tableDetails } from '../../../src/core/pg/tableDetails';
import { openSession, pgSkip, psql, psqlRows } from '../../support/pgServer';
import { parseDescribe } from './describe';

const PSQL_KINDS: Record<string, string> = { table: 'table', partition: 'table', partitioned: 'partitioned table', foreign: 'foreign table', view: 'view', matview: 'materialized view', sequence: 'sequence' };
const flat = (rels: RelationInfo[]): RelationInfo[] => rels.flatMap((r) => [r, ...flat(r.partitions ?? [])]);
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
/** psql wraps index, constraint and policy names in quotes without doubling embedded ones. */
const wrap = (s: string) => `"${s}"`;

/** How psql prints an index's columns, rebuilt from our structured fields (not from our definition text). */
function rebuilt(ix: IndexInfo): string {
  const key = ix.columns.filter((c) => c.key).map((c) => {
    let s = c.definition;
    if (c.collation) s += ` COLLATE ${q(c.collation)}`;
    if (c.opclass && !c.opclassIsDefault) s += ` ${c.opclass}`;
    if (c.descending) s += ' DESC';
    if (c.nullsFirst !== c.descending) s += c.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
    return s;
  });
  const inc = ix.columns.filter((c) => !c.key).map((c) => c.definition);
  return `${ix.method} (${key.join(', ')})${inc.length ? ` INCLUDE (${inc.join(', ')})` : ''}${ix.predicate ? ` WHERE ${ix.predicate}` : ''}`;
}

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
      const d = parseDescribe(psql(`\\d+ ${q(r.schema)}.${q(r.name)}`, { tuples: false }));
      const mine = details.get(r.schema)!;
      const cols = mine.columns.filter((c) => c.table === r.name);
      assert.deepEqual(cols.map((c) => ({ name: c.name, type: c.type, collation: c.collation ?? '', notNull: c.notNull,
        default: c.identity ? `generated ${c.identity} as identity` : c.generated ? `generated always as (${c.generated}) stored` : c.default ?? '' })), d.columns, `columns of ${r.name}`);

      const psqlIndexes = d.sections.get('Indexes') ?? [];
      const indexes = mine.indexes.filter((i) => i.table === r.name);
      assert.equal(indexes.length, psqlIndexes.length, `index count of ${r.name}`);
      for (const ix of indexes) {
        const line = psqlIndexes.find((l) => l.startsWith(`${wrap(ix.name)} `));
        assert.ok(line, `${ix.name} in \\d+ ${r.name}`);
        let rest = line.slice(wrap(ix.name).length + 1);
        const label = ix.primary ? 'PRIMARY KEY, ' : ix.constraint && ix.unique ? 'UNIQUE CONSTRAINT, ' : ix.unique ? 'UNIQUE, ' : '';
        if (ix.exclusion) { assert.match(rest, /^EXCLUDE USING gist/); checkedIndexes++; continue; }
        assert.ok(rest.startsWith(label), `${ix.name}: "${rest}" starts with "${label}"`);
        rest = rest.slice(label.length);
        assert.equal(rest.endsWith(' INVALID'), !ix.valid, `${ix.name} validity`);
        rest = rest.replace(/ INVALID$/, '').replace(/ WITH \([^)]*\)/, '');
        assert.equal(rebuilt(ix), rest, `${ix.name} columns, opclasses, order, INCLUDE and predicate`);
        checkedIndexes++;
      }

      const cons = mine.constraints.filter((c) => c.table === r.name);
      for (const [section, kind] of [['Check constraints', 'check'], ['Foreign-key constraints', 'foreign key']] as const) {
        assert.deepEqual(cons.filter((c) => c.kind === kind).map((c) => `${wrap(c.name)} ${c.definition}`).sort(), (d.sections.get(section) ?? []).sort(), `${section} of ${r.name}`);
      }
      for (const fk of cons.filter((c) => c.kind === 'foreign key')) {
        const ref = fk.references!;
        assert.equal(fk.definition.includes(`ON DELETE ${ref.onDelete}`), ref.onDelete !== 'NO ACTION', `${fk.name} ON DELETE`);
        assert.equal(fk.definition.includes(`ON UPDATE ${ref.onUpdate}`), ref.onUpdate !== 'NO ACTION', `${fk.name} ON UPDATE`);
        assert.equal(fk.definition.includes('DEFERRABLE'), fk.deferrable);
        assert.equal(fk.definition.includes('INITIALLY DEFERRED'), fk.initiallyDeferred);
        assert.ok(fk.definition.includes(`REFERENCES ${ref.schema}.${ref.table}(${ref.columns.join(', ')})`), fk.definition);
      }
      const trig = mine.triggers.filter((t) => t.table === r.name).map((t) => t.definition.replace(/^CREATE TRIGGER /, ''));
      assert.deepEqual(trig, d.sections.get('Triggers') ?? [], `triggers of ${r.name}`);
      const pol = mine.policies.filter((p) => p.table === r.name).map((p) => [`POLICY ${wrap(p.name)}${p.permissive ? '' : ' AS RESTRICTIVE'}${p.command === 'ALL' ? '' : ` FOR ${p.command}`}`,
        p.roles.join(',') === 'public' ? '' : ` TO ${p.roles.join(',')}`, p.using ? ` USING ((${p.using}))` : '', p.withCheck ? ` WITH CHECK ((${p.withCheck}))` : ''].join(''));
      assert.deepEqual(pol, d.sections.get('Policies') ?? [], `policies of ${r.name}`);
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
