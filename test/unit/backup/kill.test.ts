import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { recordFault } from '../../support/faultLedger';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { restore } from '../../../src/core/backup/restore';
import { PASSWORD, passwordFile, restic, tempDir } from './helpers';
import { assertSameTree } from './compareTrees';

const RUNS = Number(process.env.SI_BACKUP_KILLS ?? 50);
const CLI = resolve(__dirname, '../../../src/cli/main.ts');
const TSX = resolve(__dirname, '../../../node_modules/tsx/dist/loader.mjs');

/** Runs our CLI backup; kills it with SIGKILL after `killAfterMs` unless it finished first. */
function cliBackup(repo: string, pw: string, src: string, killAfterMs?: number): Promise<{ code: number | null; killed: boolean; ms: number }> {
  const start = Date.now();
  const child = spawn(process.execPath, ['--import', TSX, CLI, 'backup', '-r', repo, '--password-file', pw, src], { stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } });
  let killed = false;
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => { killed = child.kill('SIGKILL'); }, killAfterMs);
  return new Promise((res) => child.once('exit', (code) => { clearTimeout(timer); res({ code, killed, ms: Date.now() - start }); }));
}

describe('a backup SIGKILLed at random points', () => {
  it(`${RUNS} kills: restic check passes after each, and the next backup completes`, { timeout: 30 * 60_000 }, async () => {
    const dir = tempDir('kill');
    const pw = passwordFile(dir);
    const repo = join(dir, 'repo');
    const src = join(dir, 'src');
    mkdirSync(src);
    await restic(pw, repo, 'init', '--repository-version', '2');
    const full = await cliBackup(repo, pw, src);
    assert.equal(full.code, 0);
    let kills = 0;
    let rounds = 0;
    const durations: number[] = [];
    // Kill points spread over a whole run (start-up, chunking, pack writes, index, snapshot): up to
    // a little past the last run that finished. Rounds that finish first are not counted as kills.
    let fullMs = Math.max(full.ms, 1000);
    while (kills < RUNS && rounds < RUNS * 3) {
      rounds++;
      // new data every round, so each run has packs, an index and a snapshot to write
      writeFileSync(join(src, `f${rounds}.bin`), randomBytes(randomInt(100_000, 3_000_000)));
      const r = await cliBackup(repo, pw, src, randomInt(300, Math.round(fullMs * 1.1)));
      // a kill teaches nothing about the run's length: widen the window until a run finishes again
      if (r.killed) {
        kills++;
        fullMs *= 1.25;
      } else {
        assert.equal(r.code, 0);
        fullMs = r.ms;
      }
      durations.push(r.ms);
      // --no-lock: the repository exactly as the kill left it (our dead lock included; restic 0.14
      // would want `unlock` first, as after its own crashes). Our next run treats that lock as stale.
      await restic(pw, repo, 'check', '--no-lock');
    }
    const last = await cliBackup(repo, pw, src);
    console.log(`kill: ${kills} kills in ${rounds} rounds; kill times ${Math.min(...durations)}..${Math.max(...durations)} ms; an unkilled run ${last.ms} ms`);
    assert.equal(last.code, 0, 'the next backup completes');
    await restic(pw, repo, 'check', '--read-data', '--no-lock');
    const target = join(dir, 'restored');
    await restore(await Repository.open(new LocalBackend(repo), PASSWORD), 'latest', { target });
    let bytesLost = 0;
    try {
      assertSameTree(src, join(target, src));
    } catch {
      bytesLost = RUNS;
    }
    recordFault({ suite: 'backup.local', fault: 'SIGKILL', operations: kills, bytesLost });
    assert.equal(bytesLost, 0);
    assert.equal(kills, RUNS, `only ${kills} kills in ${rounds} rounds`);
  });
});
