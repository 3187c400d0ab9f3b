// SIGKILL during the CLI's -o write, many times: the file holds the old bytes or the new ones,
// never a mix, never an empty file. The control run shows the same kills tear an in-place write.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { isTempName } from '../../../src/core/local/tempNames';
import { recordFault } from '../../support/faultLedger';

const ROUNDS = Number(process.env.SI_CRASH_ROUNDS ?? 60);
const SIZE = 16 << 20;
let dir: string;
let cliJs: string;
let naiveJs: string;
const plain = Buffer.alloc(SIZE, 'N');
const old = Buffer.alloc(SIZE / 2, 'O');
const NAIVE = `const fs = require('node:fs'); const zlib = require('node:zlib');
const [, , , , target, source] = process.argv;
fs.createReadStream(source).pipe(zlib.createGunzip()).pipe(fs.createWriteStream(target));`;

/** Runs `decode -o target source` and kills it with SIGKILL after a random delay. */
function killMidDecode(script: string, target: string, source: string, maxDelayMs: number): Promise<void> {
  return new Promise((done, reject) => {
    // Plain bundled JS: without the runner's NODE_OPTIONS (the TypeScript loader) it starts fast.
    const { NODE_OPTIONS: _loader, ...env } = process.env;
    const p = spawn(process.execPath, [script, 'decode', '-o', target, source], { stdio: 'ignore', env });
    p.on('error', reject);
    p.on('exit', () => done());
    setTimeout(() => p.kill('SIGKILL'), Math.random() * maxDelayMs);
  });
}

/** How long one uninterrupted `decode -o` takes now: kill delays scale with the machine's load. */
function timeDecode(script: string, target: string, source: string): Promise<number> {
  return new Promise((done, reject) => {
    const { NODE_OPTIONS: _loader, ...env } = process.env;
    const started = performance.now();
    const p = spawn(process.execPath, [script, 'decode', '-o', target, source], { stdio: 'ignore', env });
    p.on('error', reject);
    p.on('exit', () => done(performance.now() - started));
  });
}

/** 'old', 'new', or a description of the damage. */
function outcome(target: string): string {
  const now = readFileSync(target);
  if (now.equals(old)) return 'old';
  if (now.equals(plain)) return 'new';
  return `torn (${now.length} bytes)`;
}

describe('crash safety of the CLI -o', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'si-cli-crash-'));
    cliJs = join(dir, 'cli.cjs');
    naiveJs = join(dir, 'naive.cjs');
    // the zstd loader's require of its .wasm runs only in a browser: left out of the bundle, as scripts/build.mjs does
    await build({ entryPoints: [resolve(__dirname, '../../../src/cli/main.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: cliJs, logLevel: 'error', external: ['*.wasm'] });
    // The control: what -o did before the atomic write (gunzip piped into the target, in place).
    writeFileSync(naiveJs, NAIVE);
    writeFileSync(join(dir, 'in.gz'), gzipSync(plain, { level: 1 }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`decode -o SIGKILLed at random moments ${ROUNDS} times leaves the old or the new bytes`, async () => {
    const target = join(dir, 'out.txt');
    const seen = new Map<string, number>();
    let bytesLost = 0;
    // Delays up to 1.5x a full run's time, so some kills land before the rename and some after.
    let full = 0;
    for (let i = 0; i < 2; i++) full = Math.max(full, await timeDecode(cliJs, target, join(dir, 'in.gz')));
    for (let round = 1; round <= ROUNDS; round++) {
      writeFileSync(target, old);
      await killMidDecode(cliJs, target, join(dir, 'in.gz'), Math.max(400, 1.5 * full));
      const o = outcome(target);
      seen.set(o, (seen.get(o) ?? 0) + 1);
      if (o !== 'old' && o !== 'new') bytesLost += old.length;
    }
    recordFault({ suite: 'cli.decode-o', fault: 'SIGKILL', operations: ROUNDS, bytesLost });
    assert.equal(bytesLost, 0, `outcomes: ${JSON.stringify([...seen])}`);
    // Both outcomes occurred, so kills landed before and after the rename.
    assert.deepEqual([...seen.keys()].sort(), ['new', 'old'], `outcomes: ${JSON.stringify([...seen])}`);
    const others = readdirSync(dir).filter((n) => !['cli.cjs', 'naive.cjs', 'in.gz', 'out.txt'].includes(n) && !n.endsWith('.map'));
    assert.deepEqual(others.filter((n) => !isTempName(n)), [], 'a killed write leaves at most a hidden, recognisable temp file');
  });

  it('the same kills tear an in-place -o write (the test can fail)', async () => {
    const target = join(dir, 'naive.txt');
    let torn = 0;
    // Kill delays scale with how long the in-place write takes now, as above: on a loaded machine
    // a fixed delay can land before the write even opens the file.
    let full = 0;
    for (let i = 0; i < 2; i++) full = Math.max(full, await timeDecode(naiveJs, target, join(dir, 'in.gz')));
    for (let round = 1; round <= 40 && torn === 0; round++) {
      writeFileSync(target, old);
      await killMidDecode(naiveJs, target, join(dir, 'in.gz'), Math.max(400, full));
      if (!['old', 'new'].includes(outcome(target))) torn++;
    }
    assert.ok(torn > 0, 'expected an in-place write to be torn by a kill');
  });
});
