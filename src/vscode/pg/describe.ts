import { formatBytes } from '../../core/local/limits';
import type { ColumnInfo, ConstraintInfo, IndexColumn, IndexInfo, PolicyInfo, RelationInfo, TableStats, TriggerInfo } from '../../lazy/pg';

// What each catalog item says in the tree, as pure functions: the tree and the tests agree on them.

const count = (n: number | null, what: string): string => (n === null ? '' : `~${n.toLocaleString('en-US')} ${what}`);

export function relationDescription(r: RelationInfo, st?: TableStats): string {
  const parts: string[] = [];
  if (r.kind === 'partitioned') parts.push(`partitioned${r.partitionKey ? ` by ${r.partitionKey.replace(/^(RANGE|LIST|HASH)\s*/i, (m) => m.trim().toLowerCase() + ' ')}` : ''}`);
  if (r.kind === 'partition' && r.partitionBound) parts.push(r.partitionBound);
  if (r.kind === 'foreign') parts.push(`foreign${r.foreignServer ? ` (${r.foreignServer})` : ''}`);
  if (r.kind === 'sequence' && r.sequence) parts.push(`last ${r.sequence.last ?? 'never used'} · +${r.sequence.increment}`);
  if (r.kind !== 'view' && r.kind !== 'sequence' && r.kind !== 'foreign') {
    const rows = st?.liveTuples ?? r.estimatedRows;
    if (rows !== null && rows !== undefined) parts.push(count(rows, 'rows'));
  }
  const bytes = st?.totalBytes ?? r.totalBytes;
  if (bytes !== null && bytes !== undefined && r.kind !== 'view') parts.push(formatBytes(bytes));
  if (r.rowSecurity) parts.push('RLS');
  if ((r.kind === 'table' || r.kind === 'partition') && !r.hasPrimaryKey) parts.push('no primary key');
  return parts.join(' · ');
}

export function columnDescription(c: ColumnInfo): string {
  const parts: string[] = [c.type];
  if (c.notNull) parts.push('NOT NULL');
  if (c.identity) parts.push(`GENERATED ${c.identity.toUpperCase()} AS IDENTITY`);
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated}) STORED`);
  if (c.default !== null) parts.push(`DEFAULT ${c.default}`);
  if (c.collation) parts.push(`COLLATE ${c.collation}`);
  return parts.join(' · ');
}

export function constraintLabel(k: ConstraintInfo): string {
  return k.name;
}

export function constraintDescription(k: ConstraintInfo): string {
  const parts: string[] = [];
  switch (k.kind) {
    case 'primary key': parts.push(`PRIMARY KEY (${k.columns.join(', ')})`); break;
    case 'unique': parts.push(`UNIQUE (${k.columns.join(', ')})`); break;
    case 'check': parts.push(`CHECK (${k.check ?? k.definition})`); break;
    case 'exclusion': parts.push(k.definition); break;
    case 'foreign key': {
      const r = k.references;
      if (!r) { parts.push(k.definition); break; }
      parts.push(`(${k.columns.join(', ')}) -> ${r.schema}.${r.table}(${r.columns.join(', ')})`, `ON DELETE ${r.onDelete}`, `ON UPDATE ${r.onUpdate}`);
      if (r.match !== 'SIMPLE') parts.push(`MATCH ${r.match}`);
      break;
    }
  }
  if (k.deferrable) parts.push(k.initiallyDeferred ? 'DEFERRABLE INITIALLY DEFERRED' : 'DEFERRABLE');
  if (!k.validated) parts.push('NOT VALID');
  return parts.join(' · ');
}

export function indexColumnLabel(c: IndexColumn): string {
  const parts = [c.definition];
  if (c.opclass && !c.opclassIsDefault) parts.push(c.opclass);
  if (c.collation) parts.push(`COLLATE ${c.collation}`);
  if (c.descending) parts.push('DESC');
  // NULLS FIRST is the default for DESC, NULLS LAST for ASC: only the other one is worth saying.
  if (c.nullsFirst !== c.descending) parts.push(c.nullsFirst ? 'NULLS FIRST' : 'NULLS LAST');
  return parts.join(' ');
}

export function indexColumnDescription(c: IndexColumn): string {
  return [c.key ? '' : 'INCLUDE', c.expression ? 'expression' : '', c.opclass && c.key && !c.opclassIsDefault ? `opclass ${c.opclass}` : ''].filter(Boolean).join(' · ');
}

export function indexDescription(i: IndexInfo): string {
  const keys = i.columns.filter((c) => c.key).map(indexColumnLabel);
  const include = i.columns.filter((c) => !c.key).map((c) => c.definition);
  const parts: string[] = [];
  if (!i.valid) parts.push('INVALID');
  parts.push(`${i.method} (${keys.join(', ')})`);
  if (include.length) parts.push(`INCLUDE (${include.join(', ')})`);
  if (i.primary) parts.push('PRIMARY KEY');
  else if (i.unique) parts.push('UNIQUE');
  if (i.exclusion) parts.push('EXCLUSION');
  if (i.predicate) parts.push(`WHERE ${i.predicate}`);
  parts.push(formatBytes(i.sizeBytes), `${i.scans.toLocaleString('en-US')} scans`);
  return parts.join(' · ');
}

export function triggerDescription(t: TriggerInfo): string {
  const parts = [`${t.timing} ${t.events.join(' OR ')}`, `FOR EACH ${t.level}`, `${t.function}()`];
  if (t.enabled === 'disabled') parts.push('disabled');
  return parts.join(' · ');
}

export function policyDescription(p: PolicyInfo): string {
  const parts = [`${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${p.command}`, `TO ${p.roles.join(', ')}`];
  if (p.using) parts.push(`USING (${p.using})`);
  if (p.withCheck) parts.push(`WITH CHECK (${p.withCheck})`);
  return parts.join(' · ');
}
