// The webview's navigation rules (media/gridSelection.js), run as the browser runs the script.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';

interface Cell { row: number; col: number }
interface SelectionT { cur: Cell | null; anchor: Cell | null; set(r: number, c: number, extend?: boolean): void; rect(): { top: number; bottom: number; left: number; right: number } | null; has(r: number, c: number): boolean; clamp(rows: number, cols: number): void }
interface Api {
  Selection: new () => SelectionT;
  navigate(key: string, mods: { ctrl?: boolean; shift?: boolean }, cur: Cell, rows: number, cols: number, page: number): Cell | null | undefined;
}

function load(): Api {
  const window: { SIGrid?: Api } = {};
  runInNewContext(readFileSync(join(__dirname, '../../../media/gridSelection.js'), 'utf8'), { window });
  const g = window.SIGrid!;
  // Objects made in the script's context have its prototypes: compare them as plain data.
  const plain = <T>(v: T): T => (v === null || v === undefined ? v : JSON.parse(JSON.stringify(v)) as T);
  return {
    navigate: (...a) => plain(g.navigate(...a)),
    Selection: class extends g.Selection { override rect() { return plain(super.rect()); } },
  };
}

describe('grid selection and navigation keys', () => {
  const G = load();
  const at = (row: number, col: number) => ({ row, col });

  it('moves by one with the arrows and stops at the edges', () => {
    assert.deepEqual(G.navigate('ArrowDown', {}, at(0, 0), 10, 3, 5), at(1, 0));
    assert.deepEqual(G.navigate('ArrowUp', {}, at(0, 0), 10, 3, 5), at(0, 0));
    assert.deepEqual(G.navigate('ArrowRight', {}, at(0, 2), 10, 3, 5), at(0, 2));
    assert.deepEqual(G.navigate('ArrowLeft', {}, at(4, 1), 10, 3, 5), at(4, 0));
  });

  it('goes to the edges with Home, End and Ctrl, and by a screen with PageUp/PageDown', () => {
    assert.deepEqual(G.navigate('End', {}, at(4, 0), 10, 3, 5), at(4, 2));
    assert.deepEqual(G.navigate('Home', {}, at(4, 2), 10, 3, 5), at(4, 0));
    assert.deepEqual(G.navigate('End', { ctrl: true }, at(4, 0), 10, 3, 5), at(9, 2));
    assert.deepEqual(G.navigate('Home', { ctrl: true }, at(4, 2), 10, 3, 5), at(0, 0));
    assert.deepEqual(G.navigate('ArrowDown', { ctrl: true }, at(4, 1), 10, 3, 5), at(9, 1));
    assert.deepEqual(G.navigate('PageDown', {}, at(7, 1), 10, 3, 5), at(9, 1));
    assert.deepEqual(G.navigate('PageUp', {}, at(7, 1), 10, 3, 5), at(2, 1));
  });

  it('wraps Tab to the next row and lets it leave the grid past the last cell', () => {
    assert.deepEqual(G.navigate('Tab', {}, at(0, 2), 10, 3, 5), at(1, 0));
    assert.deepEqual(G.navigate('Tab', { shift: true }, at(1, 0), 10, 3, 5), at(0, 2));
    assert.equal(G.navigate('Tab', {}, at(9, 2), 10, 3, 5), null);
    assert.equal(G.navigate('Tab', { shift: true }, at(0, 0), 10, 3, 5), null);
    assert.equal(G.navigate('a', {}, at(0, 0), 10, 3, 5), undefined);
  });

  it('extends a range from its anchor and keeps it inside the rows after a change', () => {
    const s = new G.Selection();
    s.set(5, 2);
    s.set(3, 0, true);
    assert.deepEqual(s.rect(), { top: 3, bottom: 5, left: 0, right: 2 });
    assert.ok(s.has(4, 1) && !s.has(6, 1));
    s.clamp(4, 3);
    assert.deepEqual(s.rect(), { top: 3, bottom: 3, left: 0, right: 2 });
    s.set(1, 1);
    assert.deepEqual(s.rect(), { top: 1, bottom: 1, left: 1, right: 1 });
  });
});
