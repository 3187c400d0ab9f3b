import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { backup } from '../../../src/core/backup/backup';
import { forget } from '../../../src/core/backup/forget';
import { prune } from '../../../src/core/backup/prune';
import type { Backend } from '../../../src/core/backup/backend';
import { PASSWORD, passwordFile, restic, tempDir } from './helpers';
import { assertSameTree } from './compareTrees';
import { si } from './cli';
import { S3_SKIP, s3Repo } from './s3';

async function listing(b: Backend): Promise<string[]> {
  const out: string[] = [];
  for (const t of ['data', 'index', 'snapshots', 'keys'] as const) for (const f of await b.list(t)) out.push(`${t}/${f.name}`);
  return out.sort();
}

/** Many small files (so several share a pack) and a few larger ones. */
function populate(src: string, round: number): void {
  mkdirSync(join(src, 'small'), { recursive: true });
  for (let i = 0; i < 60; i++) writeFileSync(join(src, 'small', `r${round}-${i}.txt`), randomBytes(20_000 + i * 100));
  writeFileSync(join(src, `big-${round}.bin`), randomBytes(3 * 1024 * 1024 + round));
}

describe('prune: unused data removed, partly used packs repacked, restic agrees', () => {
  const dir = tempDir('prune');
  const pw = passwordFile(dir);

  /**
   * restic and we take turns backing up a changing tree; the first two snapshots (one restic's,
   * one ours) are forgotten and we prune. Each kept snapshot's state was copied aside to compare.
   */
  async function scenario(backend: Backend, url: string, version: string) {
    await restic(pw, url, 'init', '--repository-version', version);
    const src = join(dir, `src-${version}-${Date.now()}`);
    const states: string[] = [];
    const repo = await Repository.open(backend, PASSWORD);
    for (let round = 0; round < 4; round++) {
      populate(src, round);
      if (round > 0) {
        for (let i = 0; i < 60; i += 2) rmSync(join(src, 'small', `r${round - 1}-${i}.txt`));
        rmSync(join(src, `big-${round - 1}.bin`));
        appendFileSync(join(src, 'small', 'r0-1.txt'), `round ${round}\n`);
      }
      if (round % 2 === 0) await restic(pw, url, 'backup', src);
      else await backup(repo, { paths: [src] });
      const copy = `${src}-state${round}`;
      execFileSync('cp', ['-a', src, copy]);
      states.push(copy);
    }
    const snaps = await repo.snapshots();
    assert.equal(snaps.length, 4);
    const before = await listing(backend);
    const dry = await prune(repo, { dryRun: true });
    assert.deepEqual(await listing(backend), before, 'a dry run changes nothing');
    assert.equal(dry.packsDeleted + dry.packsRepacked, 0, 'every pack is still used before the forget');
    await forget(repo, [snaps[0]!.id, snaps[1]!.id]);
    const r = await prune(repo);
    assert.ok(r.packsRepacked > 0, `packs repacked: ${JSON.stringify(r)}`);
    assert.ok(r.packsDeleted > 0, `packs deleted: ${JSON.stringify(r)}`);
    assert.ok(r.bytesFreed > 3 * 1024 * 1024, `freed ${r.bytesFreed}`);
    await restic(pw, url, 'check', '--read-data');
    const again = await prune(repo, { dryRun: true });
    assert.equal(again.packsDeleted + again.packsRepacked + again.blobsRemoved, 0, 'a second prune finds nothing');
    for (const [i, s] of snaps.slice(2).entries()) {
      const target = join(dir, `restored-${version}-${i}-${Date.now()}`);
      await restic(pw, url, 'restore', s.id, '--target', target);
      assertSameTree(states[i + 2]!, join(target, src), { times: true });
    }
    return { repo, src };
  }

  it('local, version 2: restic check --read-data passes and every kept snapshot restores identically', async () => {
    const p = join(dir, 'repo-v2');
    const { repo, src } = await scenario(new LocalBackend(p), p, '2');
    // restic prunes what we wrote and repacked
    populate(src, 9);
    await backup(repo, { paths: [src] });
    await forget(repo, [(await repo.snapshots())[0]!.id]);
    await restic(pw, p, 'prune');
    await restic(pw, p, 'check', '--read-data');
  });

  it('on S3 (moto), version 1', { skip: S3_SKIP }, async () => {
    const { backend, url } = await s3Repo('prune');
    await scenario(backend, url, '1');
  });

  it('stops before changing anything when a used pack is missing', async () => {
    const p = join(dir, 'repo-missing');
    const src = join(dir, 'src-missing');
    await restic(pw, p, 'init');
    populate(src, 0);
    await restic(pw, p, 'backup', src);
    const b = new LocalBackend(p);
    const packs = await b.list('data');
    const victim = packs.sort((x, y) => y.size - x.size)[0]!.name;
    rmSync(join(p, 'data', victim.slice(0, 2), victim));
    const before = await listing(b);
    await assert.rejects(prune(await Repository.open(b, PASSWORD)), { code: 'Integrity', message: /before changing anything/ });
    assert.deepEqual(await listing(b), before);
    assert.deepEqual(readdirSync(join(p, 'locks')), [], 'the lock is released');
  });

  it('CLI forget --keep-last 1 --prune, then restic check --read-data', async () => {
    const p = join(dir, 'repo-v2');
    const r = await si('forget', '-r', p, '--password-file', pw, '--keep-last', '1', '--group-by', '', '--prune');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /removed \d+ snapshots[\s\S]*freed/);
    await restic(pw, p, 'check', '--read-data');
    const pr = await si('prune', '-r', p, '--password-file', pw, '--json');
    assert.equal(pr.code, 0, pr.stderr);
    assert.equal((JSON.parse(pr.stdout) as { packsDeleted: number }).packsDeleted, 0);
  });
});
