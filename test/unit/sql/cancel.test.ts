import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { cli, cliJson, features, openSession, tempDir } from './support';

const FOREVER = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

/** Starts the endless query, waits until it runs, cancels it; returns what cancel reported. */
async function cancelForever(s: Awaited<ReturnType<typeof openSession>>): Promise<Awaited<ReturnType<typeof s.cancel>>> {
  const forever = s.call('run', { script: FOREVER });
  const rejected = assert.rejects(forever, (e) => isStorageError(e) && e.code === 'Cancelled');
  await new Promise((r) => setTimeout(r, 150));
  const outcome = await s.cancel();
  await rejected;
  return outcome;
}

describe('cancel never loses edits silently', () => {
  it('grid edits, an index and a script that changed rows all survive a cancelled query, and then save', async () => {
    const db = features(tempDir());
    const s = await openSession(db);
    try {
      await s.call('update', { table: 'authors', key: [1], values: { bio: 'kept' } });
      const key = await s.call('insert', { table: 'tags', values: { book_id: 2, tag: 'new', weight: 1 } });
      await s.call('delete', { table: 'tags', key: [1, 'history'] });
      await s.call('createIndex', { name: 'by_weight', table: 'tags', columns: [{ name: 'weight' }] });
      await s.call('run', { script: "UPDATE books SET price = price + 1; SELECT 1" });
      // A script that changed rows and then failed is replayed to the same failure.
      await assert.rejects(s.call('run', { script: "UPDATE books SET title = title || '!' WHERE id = 2; SELECT * FROM nope" }));
      // Read-only requests are not replayed.
      await s.call('run', { script: 'SELECT count(*) FROM books' });
      const before = await s.call('run', { script: 'SELECT id, title, price FROM books ORDER BY id' });
      const outcome = await cancelForever(s);
      assert.deepEqual(outcome, { replayed: 6, lostChanges: false });
      assert.equal(s.dirty, true);
      const after = await s.call('run', { script: 'SELECT id, title, price FROM books ORDER BY id' });
      assert.deepEqual(after[0]?.rows, before[0]?.rows);
      assert.deepEqual((await s.call('run', { script: 'SELECT bio FROM authors WHERE id = 1' }))[0]?.rows, [['kept']]);
      assert.deepEqual((await s.call('run', { script: "SELECT count(*) FROM tags WHERE tag = 'new'" }))[0]?.rows, [[1]]);
      assert.deepEqual(key.length, 2);
      assert.ok((await s.call('schema', {})).indexes.some((i) => i.name === 'by_weight'));
      // A second cancel replays the same edits again (the log was rebuilt by the replay).
      assert.deepEqual(await cancelForever(s), { replayed: 6, lostChanges: false });
      assert.deepEqual((await s.save()).written, true);
      assert.equal(cli(db, 'SELECT bio FROM authors WHERE id = 1'), 'kept');
      assert.deepEqual(cliJson(db, "SELECT count(*) AS n FROM tags WHERE tag = 'history' AND book_id = 1"), [{ n: 0 }]);
      // After the save the edits are on disk: a cancel has nothing to replay.
      assert.deepEqual(await cancelForever(s), { replayed: 0, lostChanges: false });
    } finally {
      await s.close();
    }
  });

  it('when the file changed on disk meanwhile, the edits cannot be replayed and cancel says so', async () => {
    const db = features(tempDir());
    const s = await openSession(db);
    try {
      await s.call('update', { table: 'authors', key: [1], values: { bio: 'mine' } });
      cli(db, "UPDATE authors SET bio = 'theirs' WHERE id = 2");
      const outcome = await cancelForever(s);
      assert.equal(outcome.lostChanges, true);
      assert.match(outcome.reason ?? '', /changed by another program/);
    } finally {
      await s.close();
    }
  });
});
