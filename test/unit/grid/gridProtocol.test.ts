// Webview messages are untrusted: only the protocol's shapes, with fields of the right types, pass.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ROWS_PER_REQUEST, isFromGrid } from '../../../src/vscode/webviews/gridProtocol';

describe('grid protocol', () => {
  it('lets every message the grid sends through', () => {
    const good: unknown[] = [
      { type: 'ready' }, { type: 'save' }, { type: 'discard' }, { type: 'insert' }, { type: 'clearSort' },
      { type: 'page', offset: 200, limit: 200, generation: 3 },
      { type: 'page', offset: 200, limit: 200, generation: 3, after: [199, { t: 'int', v: '9007199254740993' }, null] },
      { type: 'sort', column: 'name', desc: true },
      { type: 'filter', filters: [{ column: 'a', op: 'contains', value: 'x' }, { column: 'b', op: 'null' }, { column: 'c', op: '>=', value: 3 }] },
      { type: 'showAll', key: [1], column: 'note', edit: true },
      { type: 'update', key: [{ t: 'blob', hex: 'cafe' }], column: 'n', value: null },
      { type: 'update', key: ['k'], column: 'n', value: { text: '', wasNumber: false } },
      { type: 'delete', keys: [[1], [2]] },
      { type: 'copy', offset: 0, count: 10, columns: [0, 2] },
    ];
    for (const m of good) assert.ok(isFromGrid(m), JSON.stringify(m));
  });

  it('refuses unknown types, wrong field types and oversized requests', () => {
    const bad: unknown[] = [
      null, 'save', [], {}, { type: 'drop' }, { type: 'page', offset: -1, limit: 1, generation: 0 },
      { type: 'page', offset: 0.5, limit: 1, generation: 0 }, { type: 'sort', column: 1, desc: true },
      { type: 'filter', filters: [{ column: 'a', op: 'LIKE', value: 'x' }] }, { type: 'filter', filters: [{ column: 'a', op: '=', value: { x: 1 } }] },
      { type: 'update', key: [1], column: 'n', value: 'text' }, { type: 'update', key: [{ t: 'real', v: '1' }], column: 'n', value: null },
      { type: 'update', key: [Number.NaN], column: 'n', value: null }, { type: 'update', key: 1, column: 'n', value: null },
      { type: 'showAll', key: [1], column: 'n' }, { type: 'delete', keys: [1] },
      { type: 'copy', offset: 0, count: MAX_ROWS_PER_REQUEST + 1, columns: [0] },
      { type: 'delete', keys: Array.from({ length: MAX_ROWS_PER_REQUEST + 1 }, () => [1]) },
    ];
    for (const m of bad) assert.ok(!isFromGrid(m), JSON.stringify(m)?.slice(0, 120));
  });
});
