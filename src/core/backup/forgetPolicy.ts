import { storageError } from '../errors';
import type { SnapshotEntry } from './repository';

/** restic forget's --keep-* rules; a count of -1 keeps every bucket. */
export interface ForgetPolicy {
  keepLast?: number;
  keepHourly?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
  /** Each entry is a comma-separated tag list; a snapshot with all of one list's tags is kept. */
  keepTags?: string[];
}

export type GroupBy = ('host' | 'paths' | 'tags')[];

export interface ForgetGroup {
  host?: string;
  paths?: string[];
  tags?: string[];
  /** Newest first, as restic lists them. */
  keep: SnapshotEntry[];
  remove: SnapshotEntry[];
  reasons: { snapshot: SnapshotEntry; matches: string[] }[];
}

export interface ForgetPlan {
  groups: ForgetGroup[];
  keep: SnapshotEntry[];
  remove: SnapshotEntry[];
}

/** Year, month, day and hour on the snapshot's own clock (restic buckets in the time's zone). */
function wallClock(time: string): { y: number; m: number; d: number; h: number } {
  const m = /^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d)/.exec(time);
  if (m) return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), h: Number(m[4]) };
  const t = new Date(time);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours() };
}

/** ISO 8601 week-numbering year and week, as Go's Time.ISOWeek (year * 100 + week). */
function isoWeek(y: number, m: number, d: number): number {
  const date = new Date(Date.UTC(y, m - 1, d));
  // the Thursday of the same Monday-to-Sunday week decides the year
  date.setUTCDate(date.getUTCDate() + 4 - (date.getUTCDay() || 7));
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return year * 100 + week;
}

type Bucketer = (time: string, nr: number) => number;
const BUCKETS: { key: keyof ForgetPolicy; reason: string; of: Bucketer }[] = [
  { key: 'keepLast', reason: 'last snapshot', of: (_t, nr) => nr },
  { key: 'keepHourly', reason: 'hourly snapshot', of: (t) => { const c = wallClock(t); return c.y * 1_000_000 + c.m * 10_000 + c.d * 100 + c.h; } },
  { key: 'keepDaily', reason: 'daily snapshot', of: (t) => { const c = wallClock(t); return c.y * 10_000 + c.m * 100 + c.d; } },
  { key: 'keepWeekly', reason: 'weekly snapshot', of: (t) => { const c = wallClock(t); return isoWeek(c.y, c.m, c.d); } },
  { key: 'keepMonthly', reason: 'monthly snapshot', of: (t) => { const c = wallClock(t); return c.y * 100 + c.m; } },
  { key: 'keepYearly', reason: 'yearly snapshot', of: (t) => wallClock(t).y },
];

export function policyIsEmpty(p: ForgetPolicy): boolean {
  return BUCKETS.every((b) => !p[b.key]) && !(p.keepTags?.length);
}

function checkPolicy(p: ForgetPolicy): void {
  for (const b of BUCKETS) {
    const n = p[b.key] as number | undefined;
    if (n !== undefined && (!Number.isInteger(n) || n < -1)) throw storageError('BadInput', `${b.key} ${n}: give a whole number (or -1 for all).`);
  }
}

const newestFirst = (a: SnapshotEntry, b: SnapshotEntry) => Date.parse(b.time) - Date.parse(a.time) || (a.time < b.time ? 1 : a.time > b.time ? -1 : 0);

/** restic's ApplyPolicy on one group: each rule keeps the newest snapshot of each of its first N buckets. */
function applyPolicy(list: SnapshotEntry[], p: ForgetPolicy): Pick<ForgetGroup, 'keep' | 'remove' | 'reasons'> {
  const sorted = [...list].sort(newestFirst);
  if (policyIsEmpty(p)) return { keep: sorted, remove: [], reasons: sorted.map((snapshot) => ({ snapshot, matches: ['policy is empty'] })) };
  const state = BUCKETS.map((b) => ({ count: (p[b.key] as number | undefined) ?? 0, last: Number.NaN }));
  const out: Pick<ForgetGroup, 'keep' | 'remove' | 'reasons'> = { keep: [], remove: [], reasons: [] };
  sorted.forEach((s, nr) => {
    const matches: string[] = [];
    for (const list of p.keepTags ?? []) {
      const want = list.split(',').filter(Boolean);
      if (want.every((t) => s.tags?.includes(t))) matches.push(`has tags ${goList(want)}`);
    }
    BUCKETS.forEach((b, i) => {
      const st = state[i]!;
      if (st.count === 0) return;
      const v = b.of(s.time, nr);
      if (v === st.last) return;
      st.last = v;
      if (st.count > 0) st.count--;
      matches.push(b.reason);
    });
    if (matches.length > 0) {
      out.keep.push(s);
      out.reasons.push({ snapshot: s, matches });
    } else out.remove.push(s);
  });
  return out;
}

/** restic's TagList as printed: `[a, b]`. */
function goList(xs: string[]): string {
  return `[${xs.join(', ')}]`;
}

/**
 * Which snapshots restic forget would keep and remove under `policy`, per group (by default host
 * and paths, as restic groups). Reads nothing and changes nothing.
 */
export function planForget(snapshots: SnapshotEntry[], policy: ForgetPolicy, groupBy: GroupBy = ['host', 'paths']): ForgetPlan {
  checkPolicy(policy);
  const groups = new Map<string, { g: ForgetGroup; members: SnapshotEntry[] }>();
  for (const s of snapshots) {
    const g: ForgetGroup = { keep: [], remove: [], reasons: [] };
    if (groupBy.includes('host')) g.host = s.hostname ?? '';
    if (groupBy.includes('paths')) g.paths = [...s.paths].sort();
    if (groupBy.includes('tags')) g.tags = [...(s.tags ?? [])].sort();
    const key = JSON.stringify([g.host, g.paths, g.tags]);
    const hit = groups.get(key) ?? { g, members: [] };
    groups.set(key, hit);
    hit.members.push(s);
  }
  const plan: ForgetPlan = { groups: [], keep: [], remove: [] };
  for (const key of [...groups.keys()].sort()) {
    const { g, members } = groups.get(key)!;
    Object.assign(g, applyPolicy(members, policy));
    plan.groups.push(g);
    plan.keep.push(...g.keep);
    plan.remove.push(...g.remove);
  }
  return plan;
}
