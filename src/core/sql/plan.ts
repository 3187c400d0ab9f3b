import type { Database } from 'sql.js';
import { num, query, str } from './sqlite';

export type PlanKind = 'scan' | 'search' | 'sort' | 'other';

export interface PlanNode {
  id: number;
  detail: string;
  /** 'scan' reads a whole table or index; 'search' seeks with an index or key. */
  kind: PlanKind;
  /** The index (or 'INTEGER PRIMARY KEY' / 'PRIMARY KEY') a node uses. */
  index?: string;
  covering?: boolean;
  children: PlanNode[];
}

/** Classifies one EXPLAIN QUERY PLAN detail line. */
export function classify(detail: string): Pick<PlanNode, 'kind' | 'index' | 'covering'> {
  const kind: PlanKind = /^SCAN\b/.test(detail) ? 'scan' : /^SEARCH\b/.test(detail) ? 'search' : /TEMP B-TREE/.test(detail) ? 'sort' : 'other';
  const m = /USING (COVERING )?INDEX (\S+)|USING (INTEGER PRIMARY KEY|PRIMARY KEY)/.exec(detail);
  const out: Pick<PlanNode, 'kind' | 'index' | 'covering'> = { kind };
  if (m?.[2]) out.index = m[2];
  else if (m?.[3]) out.index = m[3];
  if (m?.[1]) out.covering = true;
  return out;
}

/** EXPLAIN QUERY PLAN of one statement, as a tree. */
export function explainPlan(db: Database, sql: string): PlanNode[] {
  const trimmed = sql.trim().replace(/;\s*$/, '');
  const res = query(db, `EXPLAIN QUERY PLAN ${trimmed}`);
  const nodes = new Map<number, PlanNode>();
  const roots: PlanNode[] = [];
  for (const [id, parent, , detail] of res.rows) {
    const node: PlanNode = { id: num(id ?? 0), detail: str(detail ?? ''), ...classify(str(detail ?? '')), children: [] };
    nodes.set(node.id, node);
    (nodes.get(num(parent ?? 0))?.children ?? roots).push(node);
  }
  return roots;
}
