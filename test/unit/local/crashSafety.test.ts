import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { listPage } from '../../../src/core/local/listing';
import { isTempName } from '../../../src/core/local/tempNames';
import { recordFault } from '../../support/faultLedger';

const ROUNDS = Number(process.env.SI_CRASH_ROUNDS ?? 200);
const SIZE = 2 << 20;
let dir: string;
let child: string;

/** Starts the save loop, kills it with SIGKILL after a random delay, and waits for it to die. */
function killMidSave(target: string, maxDelayMs: number, mode = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    // The child is plain bundled JS: without the runner's NODE_OPTIONS (the TypeScript loader) it starts in ~40 ms.
    const { NODE_OPTIONS: _loader, ...env } = process.env;
    const p = spawn(process.execPath, [child, target, String(SIZE), mode], { stdio: ['ignore', 'pipe', 'inherit'], env });
    p.on('error', reject);
    p.on('exit', () => resolve());
    p.stdout.once('data', () => setTimeout(() => p.kill('SIGKILL'), Math.random() * maxDelayMs));
  });
}

function assertWhole(target: string, round: number): string {
  const bytes = readFileSync(target);
  assert.equal(bytes.length, SIZE, `round ${round}: file is ${bytes.length} bytes, torn or empty`);
  const first = bytes[0] as number;
  assert.ok(first === 0x41 || first === 0x42, `round ${round}: unexpected first byte ${first}`);
  assert.ok(bytes.equals(Buffer.alloc(SIZE, first)), `round ${round}: mixed old and new bytes`);
  return String.fromCharCode(first);
}

describe('crash safety of the local save', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'si-crash-'));
    child = join(dir, 'saveLoop.cjs');
    await build({ entryPoints: [join(__dirname, 'support/saveLoop.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: child, logLevel: 'error' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`a save SIGKILLed at random moments ${ROUNDS} times leaves the old or the new bytes, and no visible temp file`, async () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    const target = join(data, 'big.bin');
    writeFileSync(target, Buffer.alloc(SIZE, 'A'));
    const seen = new Set<string>();
    let bytesLost = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      await killMidSave(target, 40);
      try {
        seen.add(assertWhole(target, round));
      } catch (e) {
        bytesLost += SIZE;
        recordFault({ suite: 'local.save', fault: 'SIGKILL', operations: round, bytesLost });
        throw e;
      }
    }
    recordFault({ suite: 'local.save', fault: 'SIGKILL', operations: ROUNDS, bytesLost });
    // Both contents survived some kill, so kills landed before and after renames.
    assert.deepEqual([...seen].sort(), ['A', 'B']);
    const leftovers = readdirSync(data).filter(isTempName);
    const page = await listPage(data);
    assert.deepEqual(page.entries.map((e) => e.name), ['big.bin'], 'the listing shows only the file');
    assert.deepEqual(readdirSync(data).filter(isTempName), [], `stale temp files were cleaned (${leftovers.length} found before listing)`);
  });

  it('the same kills tear a naive in-place write (the test can fail)', async () => {
    const target = join(dir, 'naive.bin');
    writeFileSync(target, Buffer.alloc(SIZE, 'A'));
    let torn = 0;
    for (let round = 1; round <= 15 && torn === 0; round++) {
      await killMidSave(target, 60, 'naive');
      try {
        assertWhole(target, round);
      } catch {
        torn++;
      }
    }
    assert.ok(torn > 0, 'expected an in-place write to be torn by a kill');
  });
});
