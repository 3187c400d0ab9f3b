import type { Column, ForeignKey, Index, IndexColumn, Table, Trigger, View } from '../../lazy/sql';

/** Plain-data nodes of the SQL tree; getTreeItem renders them. `db` is the database id (its URI). */
export type SqlNode =
  | { kind: 'db'; db: string }
  | { kind: 'dbFile'; uri: string }
  | { kind: 'group'; db: string; group: 'tables' | 'views' | 'indexes' | 'triggers' }
  | { kind: 'table'; db: string; table: string }
  | { kind: 'view'; db: string; view: string }
  | { kind: 'tableGroup'; db: string; table: string; group: 'indexes' | 'foreignKeys' | 'triggers' }
  | { kind: 'column'; db: string; table: string; column: string }
  | { kind: 'index'; db: string; index: string }
  | { kind: 'indexColumn'; db: string; index: string; seq: number }
  | { kind: 'foreignKey'; db: string; table: string; id: number }
  | { kind: 'trigger'; db: string; trigger: string }
  | { kind: 'error'; message: string };

// The texts below are pure so tests and the tree agree on what a schema item says.

export function tableDescription(t: Table): string {
  const parts: string[] = [];
  if (t.kind === 'virtual') parts.push(`virtual (${t.module ?? '?'}${t.moduleAvailable === false ? ', module not in this build' : ''})`);
  if (t.kind === 'shadow') parts.push('shadow');
  if (t.withoutRowid) parts.push('WITHOUT ROWID');
  if (t.strict) parts.push('STRICT');
  parts.push(`${t.columns.filter((c) => c.hidden !== 'hidden').length} columns`);
  return parts.join(' · ');
}

export function columnDescription(c: Column): string {
  const parts: string[] = [c.type || '(no type)'];
  if (c.pk > 0) parts.push(`PK ${c.pk}`);
  if (c.notNull) parts.push('NOT NULL');
  if (c.default !== null) parts.push(`DEFAULT ${c.default}`);
  if (c.hidden === 'virtual' || c.hidden === 'stored') parts.push(`GENERATED ${c.hidden.toUpperCase()}`);
  if (c.hidden === 'hidden') parts.push('HIDDEN');
  return parts.join(' · ');
}

export function indexColumnLabel(c: IndexColumn): string {
  const base = c.expression ?? c.name ?? (c.cid === -1 ? 'rowid' : '?');
  return `${base}${c.collation && c.collation !== 'BINARY' ? ` COLLATE ${c.collation}` : ''}${c.desc ? ' DESC' : ''}`;
}

const ORIGIN: Record<Index['origin'], string> = { c: 'created', u: 'unique constraint', pk: 'primary key' };

export function indexDescription(i: Index): string {
  const parts: string[] = [`(${i.columns.map(indexColumnLabel).join(', ')})`];
  if (i.unique) parts.push('UNIQUE');
  if (i.partial) parts.push(`WHERE ${i.where ?? '?'}`);
  parts.push(ORIGIN[i.origin] ?? i.origin);
  return parts.join(' · ');
}

export function foreignKeyLabel(fk: ForeignKey): string {
  return `(${fk.from.join(', ')}) -> ${fk.table}(${fk.to.map((t) => t ?? 'PK').join(', ')})`;
}

export function foreignKeyDescription(fk: ForeignKey): string {
  return `ON DELETE ${fk.onDelete} · ON UPDATE ${fk.onUpdate}`;
}

export function triggerDescription(t: Trigger): string {
  const m = /\b(BEFORE|AFTER|INSTEAD\s+OF)?\s*(INSERT|UPDATE|DELETE)\b/i.exec(t.sql);
  return `${m ? `${(m[1] ?? '').toUpperCase()} ${m[2]?.toUpperCase()}`.trim() : ''} ON ${t.table}`.trim();
}

export function viewDescription(v: View): string {
  return v.problem ? `error: ${v.problem}` : `${v.columns.length} columns`;
}
