import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { planForget, type ForgetPolicy } from '../../../src/core/backup/forgetPolicy';
import { forget } from '../../../src/core/backup/forget';
import { saveJson } from '../../../src/core/backup/unpackedWriter';
import { PASSWORD, passwordFile, restic, tempDir } from './helpers';
import { si } from './cli';

/** 40 times over three years, uneven steps, on clocks in three zones (restic buckets on the snapshot's own clock). */
function times(): string[] {
  const steps = [20, 300, 1440, 1440 * 9, 45, 1440 * 40, 1440 + 30, 1440 * 3, 600, 1440 * 100];
  const zones = [['Z', 0], ['+05:30', 330], ['-08:00', -480]] as const;
  const out: string[] = [];
  let t = Date.parse('2023-12-29T21:10:00Z');
  for (let i = 0; i < 40; i++) {
    t += steps[(i * 7) % steps.length]! * 60_000;
    const [suffix, offset] = zones[i % 3]!;
    const wall = new Date(t + offset * 60_000).toISOString().slice(0, 19);
    out.push(`${wall}.${String(123456789 - i).padStart(9, '0')}${suffix}`);
  }
  return out;
}

const KEEP_FLAGS: Record<string, keyof ForgetPolicy> = { 'keep-last': 'keepLast', 'keep-hourly': 'keepHourly', 'keep-daily': 'keepDaily', 'keep-weekly': 'keepWeekly', 'keep-monthly': 'keepMonthly', 'keep-yearly': 'keepYearly' };

interface ResticGroup {
  host: string;
  paths: string[];
  keep: { id: string }[] | null;
  remove: { id: string }[] | null;
  reasons: { matches: string[] }[];
}

describe('forget: the policy restic forget applies, and forgetting', () => {
  const dir = tempDir('forget');
  const pw = passwordFile(dir);
  const repoPath = join(dir, 'repo');
  let repo: Repository;
  before(async () => {
    const src = join(dir, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'a.txt'), 'a\n');
    await restic(pw, repoPath, 'init', '--repository-version', '2');
    await restic(pw, repoPath, 'backup', '--host', 'h1', src);
    repo = await Repository.open(new LocalBackend(repoPath), PASSWORD);
    const [first] = await repo.snapshots();
    // Snapshot files of our own making, for the times only: restic reads them like any other.
    for (const [i, time] of times().entries()) {
      const tags = i % 5 === 0 ? ['monthly-report'] : i % 7 === 0 ? ['keep', 'db'] : undefined;
      await saveJson(repo, 'snapshots', { time, tree: first!.tree, paths: i % 4 === 3 ? ['/other/path'] : [src], hostname: i % 6 === 5 ? 'h2' : 'h1', username: 'u', ...(tags ? { tags } : {}) });
    }
    await repo.backend.remove('snapshots', first!.id);
  });

  const policies: string[][] = [
    ['--keep-last', '5'],
    ['--keep-hourly', '6'],
    ['--keep-daily', '7'],
    ['--keep-weekly', '6'],
    ['--keep-monthly', '8'],
    ['--keep-yearly', '3'],
    ['--keep-last', '2', '--keep-daily', '3', '--keep-weekly', '4', '--keep-monthly', '6', '--keep-yearly', '10'],
    ['--keep-tag', 'keep,db', '--keep-last', '1'],
    ['--keep-tag', 'monthly-report', '--keep-tag', 'db', '--keep-weekly', '2'],
  ];
  for (const flags of policies) {
    it(`${flags.join(' ')}: the same keep, remove and reasons as restic forget --dry-run --json`, async () => {
      const theirs = JSON.parse(await restic(pw, repoPath, 'forget', '--dry-run', '--json', ...flags)) as ResticGroup[];
      const policy: ForgetPolicy = {};
      for (let i = 0; i < flags.length; i += 2) {
        const f = flags[i]!.slice(2);
        if (f === 'keep-tag') (policy.keepTags ??= []).push(flags[i + 1]!);
        else (policy as Record<string, number>)[KEEP_FLAGS[f]!] = Number(flags[i + 1]);
      }
      const plan = planForget(await repo.snapshots(), policy);
      const key = (g: { host?: string; paths?: string[] | null }) => `${g.host}|${(g.paths ?? []).join(',')}`;
      const want = theirs.map((g) => ({ key: key(g), keep: (g.keep ?? []).map((s) => s.id), remove: (g.remove ?? []).map((s) => s.id), reasons: g.reasons.map((r) => r.matches) })).sort((a, b) => (a.key < b.key ? -1 : 1));
      const got = plan.groups.map((g) => ({ key: key(g), keep: g.keep.map((s) => s.id), remove: g.remove.map((s) => s.id), reasons: g.reasons.map((r) => r.matches) })).sort((a, b) => (a.key < b.key ? -1 : 1));
      assert.deepEqual(got, want);
      assert.ok(plan.remove.length > 0 && plan.keep.length > 0, 'the policy keeps some and removes some');
    });
  }

  it('forget removes exactly the chosen snapshots; restic sees the rest', async () => {
    const before = await repo.snapshots();
    const plan = planForget(before, { keepLast: 30 }, []);
    assert.equal(plan.remove.length, before.length - 30);
    const removed = await forget(repo, plan.remove.map((s) => s.id.slice(0, 10)));
    assert.deepEqual(removed.sort(), plan.remove.map((s) => s.id).sort());
    const left = (JSON.parse(await restic(pw, repoPath, 'snapshots', '--json')) as { id: string }[]).map((s) => s.id).sort();
    assert.deepEqual(left, plan.keep.map((s) => s.id).sort());
    await assert.rejects(forget(repo, ['ffffffff0000']), { code: 'NotFound', message: /nothing was removed/ });
    assert.equal((await repo.snapshots()).length, 30);
  });

  it('CLI forget --dry-run changes nothing; forget --keep-last removes the rest', async () => {
    const dry = await si('forget', '-r', repoPath, '--password-file', pw, '--keep-last', '3', '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would remove \d+ snapshots/);
    assert.equal((await repo.snapshots()).length, 30);
    const r = await si('forget', '-r', repoPath, '--password-file', pw, '--keep-last', '3', '--group-by', '');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(await restic(pw, repoPath, 'snapshots', '--json')) as unknown[]).length, 3);
    const both = await si('forget', '-r', repoPath, '--password-file', pw, '--keep-last', '1', 'abcd');
    assert.equal(both.code, 2);
  });
});
