import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { SqlSession } from '../../../src/core/sql/host';
import { WASM, features, openSession, tempDir } from './support';

const root = resolve(__dirname, '../../..');
const workerOpts = { workerPath: join(root, 'test/support/tsWorker.mjs'), wasmPath: WASM, workerData: { tsEntry: join(root, 'src/core/sql/worker.ts') } };

describe('the worker host', () => {
  it('a warmed spare engine serves the next open, and only one', async () => {
    const db = features(tempDir());
    await SqlSession.prewarm(workerOpts);
    const spareId = SqlSession.spareThreadId();
    assert.equal(typeof spareId, 'number');
    const a = await openSession(db);
    assert.equal(SqlSession.spareThreadId(), undefined, 'the spare was taken');
    const b = await openSession(db);
    try {
      assert.equal(a.threadId, spareId, 'the first open runs on the warmed thread');
      assert.notEqual(b.threadId, spareId, 'the second open started its own');
      assert.equal((await a.call('schema', {})).tables.length, 12);
      assert.equal((await b.call('schema', {})).tables.length, 12);
    } finally {
      await a.close();
      await b.close();
    }
    assert.equal(a.threadId, undefined, 'close ends the thread');
  });

  it('bytes read by the main side (another provider) open the same; requests after close fail clearly', async () => {
    const db = features(tempDir());
    const s = await openSession(db, async () => new Uint8Array(await readFile(db)));
    assert.equal((await s.call('schema', {})).tables.length, 12);
    assert.equal(s.diskState, undefined, 'no file state: such a database is saved by its provider');
    await assert.rejects(s.save(), /only a database opened from a path/);
    await s.close();
    await assert.rejects(s.call('schema', {}), /is closed\. Open it again/);
  });

  it('a cold open of a missing file (read while the engine compiles) says what failed', async () => {
    SqlSession.dropSpare();
    const missing = join(tempDir(), 'gone.db');
    await assert.rejects(openSession(missing), (e: Error & { code?: string }) => e.code === 'NotFound' && /gone\.db could not be read \(ENOENT\)/.test(e.message));
  });

  it('an unused spare does not keep the process alive: a process that only prewarms exits by itself', async () => {
    const child = spawn(process.execPath, [join(__dirname, 'prewarmChild.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 30_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.match(out, /^warm \d+$/m, 'the spare was warm when the script ended');
    assert.equal(code, 0, 'the process exited on its own, with the spare still warm');
  });
});
