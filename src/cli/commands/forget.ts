import { parseArgs } from 'node:util';
import { forget as forgetSnapshots } from '../../core/backup/forget';
import { planForget, policyIsEmpty, type ForgetPolicy, type GroupBy } from '../../core/backup/forgetPolicy';
import { snapshotJson } from '../../core/backup/listing';
import { prune as runPrune } from '../../core/backup/prune';
import type { SnapshotEntry } from '../../core/backup/repository';
import { openRepo, repoOptions } from './ls';
import { printPrune } from './prune';
import { UsageError, type CliCommand } from './types';

const KEEP = { 'keep-last': 'keepLast', 'keep-hourly': 'keepHourly', 'keep-daily': 'keepDaily', 'keep-weekly': 'keepWeekly', 'keep-monthly': 'keepMonthly', 'keep-yearly': 'keepYearly' } as const;

function count(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < -1) throw new UsageError(`--${flag} ${v}: give a whole number (-1 keeps all).`);
  return Number(v);
}

function groupBy(v: string): GroupBy {
  const parts = v.split(',').filter(Boolean);
  for (const p of parts) if (p !== 'host' && p !== 'paths' && p !== 'tags') throw new UsageError(`--group-by ${v}: use host, paths and tags, comma-separated.`);
  return parts as GroupBy;
}

function line(s: SnapshotEntry): string {
  return `${s.id.slice(0, 8)}  ${s.time.slice(0, 19).replace('T', ' ')}  ${s.hostname ?? ''}  ${(s.tags ?? []).join(',')}  ${s.paths.join(', ')}\n`;
}

/** `forget`: snapshots by id, or by restic's --keep-* policy; --prune then removes their data. */
export const forget: CliCommand = {
  name: 'forget',
  summary: 'forget -r REPO [--password-file F] [--keep-last|hourly|daily|weekly|monthly|yearly N] [--keep-tag T] [--group-by host,paths] [--dry-run] [--prune] [--json] [ID...]   remove snapshots',
  async run(args: string[]): Promise<number> {
    const options = {
      ...repoOptions,
      ...Object.fromEntries(Object.keys(KEEP).map((k) => [k, { type: 'string' as const }])),
      'keep-tag': { type: 'string', multiple: true },
      'group-by': { type: 'string', default: 'host,paths' },
      'dry-run': { type: 'boolean', short: 'n', default: false },
      prune: { type: 'boolean', default: false },
    } as const;
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options });
    const v = values as Record<string, string | string[] | boolean | undefined>;
    const policy: ForgetPolicy = {};
    for (const [flag, key] of Object.entries(KEEP)) {
      const n = count(flag, v[flag] as string | undefined);
      if (n !== undefined) policy[key] = n;
    }
    if (values['keep-tag']?.length) policy.keepTags = values['keep-tag'];
    const byPolicy = !policyIsEmpty(policy);
    if (byPolicy === positionals.length > 0) throw new UsageError(byPolicy ? 'give snapshot ids or --keep-* rules, not both.' : 'name the snapshots to forget, or give --keep-* rules.');
    const repo = await openRepo(values);
    let ids = positionals;
    let out = '';
    if (byPolicy) {
      const plan = planForget(await repo.snapshots(), policy, groupBy(values['group-by']));
      ids = plan.remove.map((s) => s.id);
      if (values.json) {
        out += JSON.stringify(plan.groups.map((g) => ({
          tags: g.tags ?? null, host: g.host ?? '', paths: g.paths ?? null,
          keep: g.keep.map(snapshotJson), remove: g.remove.length ? g.remove.map(snapshotJson) : null,
          reasons: g.reasons.map((r) => ({ snapshot: { ...r.snapshot, id: undefined }, matches: r.matches })),
        }))) + '\n';
      } else {
        for (const g of plan.groups) {
          out += `snapshots for (host [${g.host ?? ''}], paths [${(g.paths ?? []).join(', ')}]):\n`;
          out += `keep ${g.keep.length} snapshots:\n${g.keep.map(line).join('')}`;
          if (g.remove.length) out += `remove ${g.remove.length} snapshots:\n${g.remove.map(line).join('')}`;
          out += '\n';
        }
      }
    }
    if (values['dry-run']) {
      if (!values.json) out += `would remove ${ids.length} snapshots (dry run: nothing was changed)\n`;
      process.stdout.write(out);
      return 0;
    }
    const removed = await forgetSnapshots(repo, ids);
    if (!values.json) out += `removed ${removed.length} snapshots\n`;
    process.stdout.write(out);
    if (values.prune && removed.length > 0) printPrune(await runPrune(repo), !!values.json);
    return 0;
  },
};
