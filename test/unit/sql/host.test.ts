import assert from 'node:assert/strict';
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
    const t0 = performance.now();
    const a = await openSession(db);
    const warmMs = performance.now() - t0;
    const b = await openSession(db);
    try {
      assert.equal((await a.call('schema', {})).tables.length, 12);
      assert.equal((await b.call('schema', {})).tables.length, 12);
      // The spare compiled the engine ahead; a cold open under tsx also transpiles the worker.
      assert.ok(warmMs < 5000, `warm open took ${warmMs.toFixed(0)} ms`);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('bytes read by the main side (another provider) open the same; requests after close fail clearly', async () => {
    const db = features(tempDir());
    const s = await openSession(db, async () => new Uint8Array(await readFile(db)));
    assert.equal((await s.call('schema', {})).tables.length, 12);
    await s.close();
    await assert.rejects(s.call('schema', {}), /is closed\. Open it again/);
  });

  it('a cold open of a missing file (read while the engine compiles) says what failed', async () => {
    SqlSession.dropSpare();
    const missing = join(tempDir(), 'gone.db');
    await assert.rejects(openSession(missing), (e: Error & { code?: string }) => e.code === 'NotFound' && /gone\.db could not be read \(ENOENT\)/.test(e.message));
  });

  it('an unused spare does not keep the process alive', async () => {
    await SqlSession.prewarm(workerOpts);
    SqlSession.dropSpare();
    await SqlSession.prewarm(workerOpts);
  });
});
