// Child process for the host test: warms a spare engine twice and then does nothing more.
// The process must exit by itself: an unused spare may not keep it alive.
import { join, resolve } from 'node:path';
import { SqlSession } from '../../../src/core/sql/host';

const root = resolve(__dirname, '../../..');
const opts = { workerPath: join(root, 'test/support/tsWorker.mjs'), wasmPath: join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), workerData: { tsEntry: join(root, 'src/core/sql/worker.ts') } };

void (async () => {
  await SqlSession.prewarm(opts);
  SqlSession.dropSpare();
  await SqlSession.prewarm(opts);
  process.stdout.write(`warm ${SqlSession.spareThreadId() ?? 'none'}\n`);
})();
