import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicBatch } from '../../../src/core/local/atomicWrite';
import { tempDir } from './helpers';

// AtomicBatch holds plain descriptors: one closed while a write is still in the thread pool would
// fail that write, or let it land in whatever file the number is given to next.
describe('AtomicBatch writes in flight', () => {
  const dir = tempDir('batch-writes');

  it('a discard waits for the writes in flight, then removes the temp; nothing else is written', async () => {
    for (let round = 0; round < 5; round++) {
      const b = new AtomicBatch({ exclusive: true });
      const path = join(dir, `discarded-${round}`);
      const f = await b.begin(path, 0o644);
      const writes = [0, 1, 2, 3].map((i) => f.write(Buffer.alloc(8 << 20, i + 1), i * (8 << 20)));
      const discarded = b.discard(f);
      // a file opened now may get a number the discard frees: it must stay empty
      const r = await Promise.allSettled(writes);
      await discarded;
      assert.deepEqual(r.map((x) => x.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'], `round ${round}: the writes in flight finished`);
      assert.equal(existsSync(path), false);
      assert.deepEqual(readdirSync(dir).filter((n) => n.includes(`discarded-${round}`)), [], 'the temp is gone');
    }
  });

  it('a commit waits for the writes in flight, so the file holds all of them; a write after it began is refused', async () => {
    const b = new AtomicBatch({ exclusive: true });
    const path = join(dir, 'committed');
    const f = await b.begin(path, 0o644);
    const writes = [0, 1, 2].map((i) => f.write(Buffer.alloc(4 << 20, i + 1), i * (4 << 20)));
    const committed = b.commit(f, { mode: 0o644 });
    await assert.rejects(f.write(Buffer.from('late'), 0), /written after its commit or discard began/);
    await Promise.all(writes);
    await committed;
    await b.finish();
    const bytes = readFileSync(path);
    assert.equal(bytes.length, 12 << 20);
    for (let i = 0; i < 3; i++) assert.equal(bytes[i * (4 << 20) + 5], i + 1, `part ${i}`);
  });
});
