// The pending-changes tally the grid's toolbar shows, and the marks on edited rows and cells.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PendingLedger } from '../../../src/vscode/sql/pendingLedger';

describe('pending changes ledger', () => {
  it('counts edited rows once however many cells changed, and marks them', () => {
    const l = new PendingLedger();
    l.update('t', [1], 'a');
    l.update('t', [1], 'b');
    l.update('u', [1], 'a'); // same key, other table
    assert.deepEqual(l.counts(true), { updated: 2, inserted: 0, deleted: 0, other: false });
    const rows = l.mark('t', ['a', 'b', 'c'], [{ key: [1], cells: [1, 2, 3] }, { key: [2], cells: [1, 2, 3] }]);
    assert.deepEqual(rows.map((r) => r.changed), [[0, 1], undefined]);
  });

  it('a row inserted then deleted leaves nothing pending; an edited row deleted counts as a delete', () => {
    const l = new PendingLedger();
    l.insert('t', [7]);
    l.update('t', [7], 'a');
    assert.deepEqual(l.counts(true), { updated: 0, inserted: 1, deleted: 0, other: false });
    l.delete('t', [7]);
    l.update('t', [3], 'a');
    l.delete('t', [3]);
    assert.deepEqual(l.counts(true), { updated: 0, inserted: 0, deleted: 1, other: false });
  });

  it('says "other" when the database is dirty for reasons it did not see (a query), and clears', () => {
    const l = new PendingLedger();
    assert.deepEqual(l.counts(true), { updated: 0, inserted: 0, deleted: 0, other: true });
    l.update('t', [1], 'a');
    l.clear();
    assert.deepEqual(l.counts(false), { updated: 0, inserted: 0, deleted: 0, other: false });
  });
});
