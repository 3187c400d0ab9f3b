import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { listPage } from '../../../src/core/local/listing';
import { isTempName } from '../../../src/core/local/tempNames';
import { recordFault } from '../../support/faultLedger';
import { buildDb, cli, tempDir } from './support';

const ROUNDS = Number(process.env.SI_CRASH_ROUNDS_SQL ?? 40);
let dir: string;
let child: string;

function killMidSave(target: string, a: string, b: string, maxDelayMs: number, mode = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const { NODE_OPTIONS: _loader, ...env } = process.env;
    const p = spawn(process.execPath, [child, target, a, b, mode], { stdio: ['ignore', 'pipe', 'inherit'], env });
    p.on('error', reject);
    p.on('exit', () => resolve());
    p.stdout.once('data', () => setTimeout(() => p.kill('SIGKILL'), Math.random() * maxDelayMs));
  });
}

/** A database of about 2 MB whose every row says which version it is. */
const version = (path: string, v: string): string =>
  buildDb(path, `CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, pad BLOB); INSERT INTO t SELECT value, '${v}', randomblob(1000) FROM generate_series(1, 2000);`);

describe('crash safety of the SQLite save', () => {
  before(async () => {
    dir = tempDir();
    child = join(dir, 'sqlSaveLoop.cjs');
    await build({ entryPoints: [join(__dirname, 'sqlSaveLoop.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: child, logLevel: 'error' });
  });

  it(`a SQLite save SIGKILLed at random moments ${ROUNDS} times leaves a whole database (old or new), never a torn one`, async () => {
    const a = version(join(dir, 'a.db'), 'A');
    const b = version(join(dir, 'b.db'), 'B');
    const data = join(dir, 'data');
    mkdirSync(data);
    const target = join(data, 'target.db');
    copyFileSync(a, target);
    const seen = new Set<string>();
    let bytesLost = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      await killMidSave(target, a, b, 150);
      const check = cli(target, 'PRAGMA integrity_check');
      const which = cli(target, "SELECT group_concat(DISTINCT v) || ':' || count(*) FROM t");
      if (check !== 'ok' || !/^[AB]:2000$/.test(which)) {
        bytesLost += 1;
        recordFault({ suite: 'sql.save', fault: 'SIGKILL', operations: round, bytesLost });
      }
      assert.equal(check, 'ok', `round ${round}: integrity_check`);
      assert.match(which, /^[AB]:2000$/, `round ${round}: one whole version`);
      seen.add(which[0] as string);
    }
    recordFault({ suite: 'sql.save', fault: 'SIGKILL', operations: ROUNDS, bytesLost });
    assert.equal(bytesLost, 0);
    assert.deepEqual([...seen].sort(), ['A', 'B'], 'kills landed before and after renames');
    await listPage(data);
    assert.deepEqual(readdirSync(data).filter(isTempName), [], 'stale temp files were cleaned by the listing');
  });

  it('the same kills tear a naive in-place SQLite write (the test can fail)', async () => {
    const a = join(dir, 'a.db');
    const b = join(dir, 'b.db');
    const target = join(dir, 'naive.db');
    copyFileSync(a, target);
    let torn = 0;
    for (let round = 1; round <= 20 && torn === 0; round++) {
      await killMidSave(target, a, b, 150, 'naive');
      let check: string;
      try {
        check = cli(target, 'PRAGMA integrity_check') + cli(target, "SELECT group_concat(DISTINCT v) || ':' || count(*) FROM t");
      } catch (e) {
        check = String(e);
      }
      if (!/^ok[AB]:2000$/.test(check)) torn++;
    }
    assert.ok(torn > 0, 'expected an in-place write to be torn by a kill');
  });
});
