// Parses psql's `\d+ table` (unaligned, tab-separated) into what the tree shows, so psql is the oracle.
import assert from 'node:assert/strict';
import type { IndexInfo, RelationInfo, TableDetails } from '../../../src/core/pg/catalogTypes';

export interface Described {
  columns: { name: string; type: string; collation: string; notNull: boolean; default: string }[];
  /** Footer sections ("Indexes", "Check constraints", ...) and their entries, continuation lines joined. */
  sections: Map<string, string[]>;
}

export function parseDescribe(out: string): Described {
  const lines = out.split('\n');
  const columns: Described['columns'] = [];
  const sections = new Map<string, string[]>();
  let i = 2; // title, header
  for (; i < lines.length && lines[i]!.includes('\t'); i++) {
    const [name, type, collation, nullable, def] = lines[i]!.split('\t');
    columns.push({ name: name!, type: type!, collation: collation ?? '', notNull: nullable === 'not null', default: def ?? '' });
  }
  let current: string[] | undefined;
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') continue;
    const head = /^(\S[^:]*):(.*)$/.exec(l);
    if (head && !l.startsWith(' ')) {
      current = [];
      sections.set(head[1]!, current);
      if (head[2]!.trim()) current.push(head[2]!.trim());
    } else if (l.startsWith('      ') && current && current.length) {
      current[current.length - 1] += ` ${l.trim()}`;
    } else if (current) {
      current.push(l.trim());
    }
  }
  return { columns, sections };
}

export const PSQL_KINDS: Record<string, string> = { table: 'table', partition: 'table', partitioned: 'partitioned table', foreign: 'foreign table', view: 'view', matview: 'materialized view', sequence: 'sequence' };
export const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
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

/** Asserts that what the tree shows for `r` matches psql's `\d+` output; returns the number of indexes checked. */
export function matchDescribe(r: RelationInfo, details: TableDetails, out: string): number {
  let checkedIndexes = 0;
  const d = parseDescribe(out);
  const mine = details;
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
  return checkedIndexes;
}
