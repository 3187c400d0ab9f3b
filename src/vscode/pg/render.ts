import * as vscode from 'vscode';
import { formatBytes } from '../../core/local/limits';
import type { PoolCounters } from '../../lazy/pg';
import { ContextSuffix as S, ContextValue as V, withSuffixes } from '../contextValues';
import type { PgConnection } from './connections';
import {
  columnDescription, constraintDescription, indexColumnDescription, indexColumnLabel, indexDescription, policyDescription, relationDescription, triggerDescription,
} from './describe';
import { type PgNode, nodeKey } from './nodes';

/** What rendering needs besides the node: the saved connection and the pools' counters. */
export interface RenderLookup {
  connection(id: string): PgConnection | undefined;
  counters(id: string): { database: string; counters: PoolCounters }[];
}

const C = vscode.TreeItemCollapsibleState;
const GROUP_LABELS = { tables: 'Tables', views: 'Views', matviews: 'Materialized Views', sequences: 'Sequences' } as const;
const GROUP_ICONS = { tables: 'table', views: 'eye', matviews: 'eye-closed', sequences: 'symbol-number' } as const;
const TABLE_GROUP_LABELS = { columns: 'Columns', constraints: 'Constraints', indexes: 'Indexes', triggers: 'Triggers', policies: 'Policies', partitions: 'Partitions' } as const;
const TABLE_GROUP_ICONS = { columns: 'symbol-field', constraints: 'lock', indexes: 'list-ordered', triggers: 'zap', policies: 'shield', partitions: 'layers' } as const;
const RELATION_ICONS = { table: 'table', partitioned: 'layers', partition: 'table', foreign: 'globe', view: 'eye', matview: 'eye-closed', sequence: 'symbol-number' } as const;
const CONSTRAINT_ICONS = { 'primary key': 'key', unique: 'symbol-key', check: 'check', 'foreign key': 'references', exclusion: 'circle-slash' } as const;

function item(label: string, description: string, icon: string, context: string, state = C.None, tooltip?: string | vscode.MarkdownString): vscode.TreeItem {
  const it = new vscode.TreeItem(label, state);
  it.description = description;
  it.iconPath = new vscode.ThemeIcon(icon);
  it.contextValue = context;
  if (tooltip !== undefined) it.tooltip = tooltip;
  return it;
}

const code = (sql: string): vscode.MarkdownString => new vscode.MarkdownString().appendCodeblock(sql, 'sql');
const n = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toLocaleString('en-US'));

/** A line of the connection's target, never its password. */
export function connectionTarget(c: PgConnection | undefined): string {
  if (!c) return '';
  if (c.service && !c.host) return `service ${c.service}`;
  return `${c.user ? `${c.user}@` : ''}${c.host ?? 'localhost'}:${c.port ?? 5432}/${c.database ?? ''}`;
}

/** Renders one node of the PostgreSQL part of the SQL view. */
export function renderNode(node: PgNode, look: RenderLookup): vscode.TreeItem {
  const it = renderItem(node, look);
  if (node.kind !== 'pgError' && node.kind !== 'pgIndexColumn' && node.kind !== 'pgColumn') it.id = `pg:${nodeKey(node)}`;
  return it;
}

function readOnly(look: RenderLookup, id: string): boolean {
  return look.connection(id)?.readOnly === true;
}

function renderItem(node: PgNode, look: RenderLookup): vscode.TreeItem {
  switch (node.kind) {
    case 'pgError': return item(node.message, '', 'error', V.errorRow);
    case 'pgConnection': {
      const c = look.connection(node.connectionId);
      const ro = c?.readOnly === true;
      const pools = look.counters(node.connectionId);
      const tip = new vscode.MarkdownString(`**${c?.name ?? node.connectionId}** (PostgreSQL${ro ? ', read-only' : ''})\n\n${connectionTarget(c)}${c?.sslmode ? `, sslmode=${c.sslmode}` : ''}`);
      for (const p of pools) tip.appendMarkdown(`\n\npool ${p.database}: ${p.counters.total} open, ${p.counters.idle} idle, ${p.counters.waiting} waiting (max ${p.counters.max}), ${p.counters.queriesSent} queries`);
      return item(c?.name ?? node.connectionId, `${connectionTarget(c)}${ro ? ' · read-only' : ''}`, 'server', withSuffixes(V.pgConnection, ro && S.readOnly), C.Collapsed, tip);
    }
    case 'pgDatabase': {
      const d = node.info;
      const can = d.canConnect && d.allowConnections;
      const desc = [d.sizeBytes !== null ? formatBytes(d.sizeBytes) : '', can ? '' : d.allowConnections ? 'no CONNECT privilege' : 'connections not allowed'].filter(Boolean).join(' · ');
      return item(d.name, desc, 'database', V.pgDatabase, can ? C.Collapsed : C.None, `${d.name}, owner ${d.owner}${d.comment ? `\n${d.comment}` : ''}`);
    }
    case 'pgSchema': {
      const s = node.info;
      const desc = [`${s.objects} ${s.objects === 1 ? 'object' : 'objects'}`, s.usable ? '' : 'no USAGE privilege', s.system ? 'system' : ''].filter(Boolean).join(' · ');
      return item(s.name, desc, s.system ? 'library' : 'symbol-namespace', V.pgSchema, C.Collapsed, `schema ${s.name}, owner ${s.owner}${s.comment ? `\n${s.comment}` : ''}`);
    }
    case 'pgExtensions': return item('Extensions', String(node.count), 'extensions', V.pgGroup, node.count > 0 ? C.Collapsed : C.None);
    case 'pgExtension': {
      const e = node.info;
      return item(e.name, `${e.version} · ${e.schema}`, 'extensions', V.pgExtension, C.None, e.comment ?? undefined);
    }
    case 'pgGroup': return item(GROUP_LABELS[node.group], String(node.count), GROUP_ICONS[node.group], V.pgGroup, C.Collapsed);
    case 'pgRelation': {
      const r = node.info;
      const ro = readOnly(look, node.connectionId) && S.readOnly;
      const context = r.kind === 'view' ? withSuffixes(V.pgView, ro) : r.kind === 'matview' ? withSuffixes(V.pgMatview, ro) : r.kind === 'sequence' ? V.pgSequence
        : withSuffixes(V.pgTable, r.kind === 'table' ? undefined : r.kind, ro);
      return item(r.name, relationDescription(r, node.stats), RELATION_ICONS[r.kind], context, r.kind === 'sequence' ? C.None : C.Collapsed, relationTooltip(node));
    }
    case 'pgTableGroup': return item(TABLE_GROUP_LABELS[node.group], String(node.count), TABLE_GROUP_ICONS[node.group], V.pgGroup, node.count > 0 ? C.Collapsed : C.None);
    case 'pgColumn': {
      const c = node.info;
      return item(c.name, columnDescription(c), c.identity ? 'symbol-number' : 'symbol-field', V.pgColumn, C.None, c.comment ?? undefined);
    }
    case 'pgConstraint': {
      const k = node.info;
      return item(k.name, constraintDescription(k), CONSTRAINT_ICONS[k.kind], V.pgConstraint, C.None, code(k.definition));
    }
    case 'pgIndex': {
      const i = node.info;
      const context = withSuffixes(V.pgIndex, !i.valid && S.invalid, readOnly(look, node.connectionId) && S.readOnly);
      const tip = code(i.definition);
      tip.appendMarkdown(`\n\n${formatBytes(i.sizeBytes)}, ${n(i.scans)} scans${i.valid ? '' : '\n\n**INVALID**: a failed CREATE INDEX CONCURRENTLY left it behind; queries do not use it. Drop it, or REINDEX.'}`);
      return item(i.name, indexDescription(i), i.valid ? 'list-ordered' : 'warning', context, C.Collapsed, tip);
    }
    case 'pgIndexColumn': return item(indexColumnLabel(node.info), indexColumnDescription(node.info), node.info.key ? (node.info.descending ? 'arrow-down' : 'arrow-up') : 'add', V.pgColumn);
    case 'pgTrigger': return item(node.info.name, triggerDescription(node.info), 'zap', V.pgTrigger, C.None, code(node.info.definition));
    case 'pgPolicy': return item(node.info.name, policyDescription(node.info), 'shield', V.pgPolicy);
  }
}

function relationTooltip(node: Extract<PgNode, { kind: 'pgRelation' }>): vscode.MarkdownString {
  const r = node.info;
  const st = node.stats;
  const md = new vscode.MarkdownString(`**${r.schema}.${r.name}** (${r.kind}), owner ${r.owner}`);
  if (r.comment) md.appendMarkdown(`\n\n${r.comment}`);
  if (r.partitionKey) md.appendMarkdown(`\n\nPARTITION BY ${r.partitionKey}`);
  if (r.partitionBound) md.appendMarkdown(`\n\npartition of ${r.parent}: ${r.partitionBound}`);
  if (st) {
    md.appendMarkdown(`\n\n| | |\n|---|---|\n| rows (estimated) | ${n(st.estimatedRows)} |\n| live / dead tuples | ${n(st.liveTuples)} / ${n(st.deadTuples)} |`
      + `\n| table / indexes / TOAST | ${formatBytes(st.tableBytes)} / ${formatBytes(st.indexBytes)} / ${formatBytes(st.toastBytes)} |\n| total | ${formatBytes(st.totalBytes)} |`
      + `\n| sequential / index scans | ${n(st.seqScans)} / ${n(st.indexScans)} |\n| last vacuum / autovacuum | ${st.lastVacuum ?? 'never'} / ${st.lastAutovacuum ?? 'never'} |`
      + `\n| last analyze / autoanalyze | ${st.lastAnalyze ?? 'never'} / ${st.lastAutoanalyze ?? 'never'} |`);
  }
  return md;
}
