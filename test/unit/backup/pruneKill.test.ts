import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { recordFault } from '../../support/faultLedger';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { forget } from '../../../src/core/backup/forget';
import { prune } from '../../../src/core/backup/prune';
import { restore } from '../../../src/core/backup/restore';
import { PASSWORD, passwordFile, restic, tempDir } from './helpers';
import { assertSameTree } from './compareTrees';

const RUNS = Number(process.env.SI_PRUNE_KILLS ?? 15);
const CLI = resolve(__dirname, '../../../src/cli/main.ts');
const TSX = resolve(__dirname, '../../../node_modules/tsx/dist/loader.mjs');

function cliPrune(repo: string, pw: string, killAfterMs?: number): Promise<{ code: number | null; killed: boolean; ms: number }> {
  const start = Date.now();
  const child = spawn(process.execPath, ['--import', TSX, CLI, 'prune', '-r', repo, '--password-file', pw], { stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } });
  let killed = false;
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => { killed = child.kill('SIGKILL'); }, killAfterMs);
  return new Promise((res) => child.once('exit', (code) => { clearTimeout(timer); res({ code, killed, ms: Date.now() - start }); }));
}

describe('a prune SIGKILLed at random points', () => {
  it(`${RUNS} kills: restic check passes after each, and the next prune completes and loses nothing`, { timeout: 30 * 60_000 }, async () => {
    const dir = tempDir('prunekill');
    const pw = passwordFile(dir);
    const repo = join(dir, 'repo');
    const src = join(dir, 'src');
    mkdirSync(join(src, 'small'), { recursive: true });
    await restic(pw, repo, 'init', '--repository-version', '2');
    const open = () => Repository.open(new LocalBackend(repo), PASSWORD);
    let round = 0;
    /** A new snapshot that shares some packs with the old one, the old one forgotten: work for prune. */
    const makeWork = async () => {
      round++;
      for (const n of readdirSync(join(src, 'small'))) if (randomInt(2) === 0) rmSync(join(src, 'small', n));
      for (let i = 0; i < 40; i++) writeFileSync(join(src, 'small', `r${round}-${i}.bin`), randomBytes(randomInt(5_000, 60_000)));
      writeFileSync(join(src, 'big.bin'), randomBytes(randomInt(1_000_000, 4_000_000)));
      await restic(pw, repo, 'backup', '--no-lock', src);
      const r = await open();
      const snaps = await r.snapshots();
      await forget(r, snaps.slice(0, -1).map((s) => s.id));
    };
    await makeWork();
    const first = await cliPrune(repo, pw);
    assert.equal(first.code, 0);
    let fullMs = Math.max(first.ms, 1000);
    let kills = 0;
    let rounds = 0;
    while (kills < RUNS && rounds < RUNS * 3) {
      rounds++;
      await makeWork();
      const r = await cliPrune(repo, pw, randomInt(300, Math.round(fullMs * 1.1)));
      if (r.killed) {
        kills++;
        fullMs *= 1.25;
      } else {
        assert.equal(r.code, 0);
        fullMs = r.ms;
      }
      // the repository exactly as the kill left it (our dead exclusive lock included)
      await restic(pw, repo, 'check', '--no-lock');
    }
    const last = await cliPrune(repo, pw);
    assert.equal(last.code, 0, 'the next prune completes');
    await restic(pw, repo, 'check', '--read-data', '--no-lock');
    const after = await prune(await open(), { dryRun: true });
    assert.equal(after.packsDeleted + after.packsRepacked, 0, 'nothing left over from the killed runs');
    const target = join(dir, 'restored');
    await restore(await open(), 'latest', { target });
    let bytesLost = 0;
    try {
      assertSameTree(src, join(target, src));
    } catch {
      bytesLost = RUNS;
    }
    recordFault({ suite: 'backup.prune', fault: 'SIGKILL', operations: kills, bytesLost });
    assert.equal(bytesLost, 0);
    assert.equal(kills, RUNS, `only ${kills} kills in ${rounds} rounds`);
  });
});
