import { storageError } from '../errors';
import { toPgError } from './pgError';
import type { PgSession } from './session';

/** One node of an EXPLAIN (FORMAT JSON) plan, with what a reader looks for already worked out. */
export interface PlanNode {
  nodeType: string;
  relation?: string;
  schema?: string;
  alias?: string;
  index?: string;
  /** Join type, filter, index condition and such: the node's one-line details. */
  details: string[];
  estimatedRows: number;
  estimatedCost: number;
  actualRows?: number;
  loops?: number;
  /** Time spent in this node itself (its children's time taken out), in ms over all loops. */
  selfMs?: number;
  /** selfMs as a share of the whole execution, 0..1. */
  timeShare?: number;
  /** Estimated vs actual rows differ by this factor or more (>= 10 is marked). */
  misestimate?: number;
  slow?: boolean;
  buffers?: { sharedHit: number; sharedRead: number; sharedDirtied: number; sharedWritten: number; tempRead: number; tempWritten: number };
  children: PlanNode[];
}

export interface Plan { root: PlanNode; planningMs?: number; executionMs?: number; analyzed: boolean; rolledBack: boolean; json: string }

export const MISESTIMATE_FACTOR = 10;
/** Nodes with at least this share of the time are marked slow (the slowest is always marked). */
export const SLOW_SHARE = 0.25;

type Raw = Record<string, unknown>;
const DETAIL_KEYS = ['Join Type', 'Strategy', 'Hash Cond', 'Merge Cond', 'Index Cond', 'Recheck Cond', 'Filter', 'Join Filter', 'Sort Key', 'Group Key', 'Rows Removed by Filter', 'Sort Method'];

function toNode(p: Raw): PlanNode {
  const node: PlanNode = { nodeType: String(p['Node Type']), details: [], estimatedRows: Number(p['Plan Rows'] ?? 0), estimatedCost: Number(p['Total Cost'] ?? 0),
    children: ((p.Plans as Raw[] | undefined) ?? []).map(toNode) };
  if (p['Relation Name']) node.relation = String(p['Relation Name']);
  if (p.Schema) node.schema = String(p.Schema);
  if (p.Alias) node.alias = String(p.Alias);
  if (p['Index Name']) node.index = String(p['Index Name']);
  for (const k of DETAIL_KEYS) if (p[k] !== undefined) node.details.push(`${k}: ${Array.isArray(p[k]) ? (p[k] as unknown[]).join(', ') : String(p[k])}`);
  if (p['Actual Rows'] !== undefined) {
    node.actualRows = Number(p['Actual Rows']);
    node.loops = Number(p['Actual Loops'] ?? 1);
    const total = Number(p['Actual Total Time'] ?? 0) * node.loops;
    const childTime = ((p.Plans as Raw[] | undefined) ?? []).reduce((a, c) => a + Number(c['Actual Total Time'] ?? 0) * Number(c['Actual Loops'] ?? 1), 0);
    node.selfMs = Math.max(0, total - childTime);
    // Per loop on both sides, as EXPLAIN prints them; a 0 counts as 1 so "expected 5000, got 0" still shows.
    const est = Math.max(1, node.estimatedRows);
    const act = Math.max(1, node.actualRows);
    node.misestimate = Math.max(est / act, act / est);
  }
  if (p['Shared Hit Blocks'] !== undefined) {
    node.buffers = { sharedHit: Number(p['Shared Hit Blocks']), sharedRead: Number(p['Shared Read Blocks'] ?? 0), sharedDirtied: Number(p['Shared Dirtied Blocks'] ?? 0),
      sharedWritten: Number(p['Shared Written Blocks'] ?? 0), tempRead: Number(p['Temp Read Blocks'] ?? 0), tempWritten: Number(p['Temp Written Blocks'] ?? 0) };
  }
  return node;
}

function walk(n: PlanNode, f: (n: PlanNode) => void): void {
  f(n);
  n.children.forEach((c) => walk(c, f));
}

/** Parses EXPLAIN (FORMAT JSON) output and marks misestimates and the slowest nodes. */
export function parsePlan(json: string, rolledBack = false): Plan {
  let doc: Raw[];
  try {
    doc = JSON.parse(json) as Raw[];
  } catch {
    throw storageError('Integrity', 'EXPLAIN did not return JSON; the plan cannot be shown.');
  }
  const top = doc[0];
  if (!top?.Plan) throw storageError('Integrity', 'EXPLAIN returned no plan.');
  const root = toNode(top.Plan as Raw);
  const plan: Plan = { root, analyzed: root.actualRows !== undefined, rolledBack, json };
  if (top['Planning Time'] !== undefined) plan.planningMs = Number(top['Planning Time']);
  if (top['Execution Time'] !== undefined) plan.executionMs = Number(top['Execution Time']);
  if (plan.analyzed) {
    let total = 0;
    let slowest: PlanNode | undefined;
    walk(root, (n) => { total += n.selfMs ?? 0; if (!slowest || (n.selfMs ?? 0) > (slowest.selfMs ?? 0)) slowest = n; });
    walk(root, (n) => {
      n.timeShare = total > 0 ? (n.selfMs ?? 0) / total : 0;
      n.slow = n === slowest || n.timeShare >= SLOW_SHARE;
    });
  }
  return plan;
}

/** True when a statement may change data, so Explain Analyze asks first (it runs inside a rolled-back transaction anyway). */
export function changesData(sql: string): boolean {
  const body = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').replace(/'(?:[^']|'')*'/g, "''");
  return /\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|CREATE|DROP|ALTER|GRANT|REVOKE|COPY|CALL|REFRESH|CLUSTER|REINDEX|VACUUM|LOCK|SELECT\b[\s\S]*\bINTO)\b/i.test(body) || /\bnextval\s*\(|\bsetval\s*\(/i.test(body);
}

/**
 * Runs EXPLAIN (FORMAT JSON), or with `analyze` EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) inside a
 * transaction that is always rolled back: an analyzed DELETE leaves every row in place.
 */
export async function explain(s: PgSession, sql: string, analyze = false): Promise<Plan> {
  const stmt = sql.trim().replace(/;\s*$/, '');
  if (stmt === '') throw storageError('BadInput', 'There is no statement to explain.');
  const opts = analyze ? 'ANALYZE, BUFFERS, FORMAT JSON' : 'FORMAT JSON';
  return s.withClient(async (c) => {
    await c.query('BEGIN');
    try {
      const res = await c.query({ text: `EXPLAIN (${opts}) ${stmt}`, rowMode: 'array' });
      const cell = (res.rows[0] as unknown[] | undefined)?.[0];
      return parsePlan(typeof cell === 'string' ? cell : JSON.stringify(cell), true);
    } catch (e) {
      throw toPgError(e, s.where, s.options.statementTimeoutMs);
    } finally {
      await c.query('ROLLBACK').catch(() => undefined);
    }
  });
}
