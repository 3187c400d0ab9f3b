// Data-grid webview: the focused cell and the selected range, and what each navigation key does
// to them. Pure (no DOM), so the rules are in one place.
// @ts-check
(function () {
  const G = /** @type {any} */ (window).SIGrid = /** @type {any} */ (window).SIGrid || {};

  /** A focused cell `cur` and the `anchor` of the range; the range is the rectangle between them. */
  class Selection {
    constructor() {
      /** @type {{row:number,col:number}|null} */ this.cur = null;
      /** @type {{row:number,col:number}|null} */ this.anchor = null;
    }

    set(row, col, extend = false) {
      this.cur = { row, col };
      if (!extend || !this.anchor) this.anchor = { row, col };
    }

    clear() { this.cur = null; this.anchor = null; }

    /** {top, bottom, left, right}, inclusive; null when nothing is focused. */
    rect() {
      if (!this.cur || !this.anchor) return null;
      return {
        top: Math.min(this.cur.row, this.anchor.row), bottom: Math.max(this.cur.row, this.anchor.row),
        left: Math.min(this.cur.col, this.anchor.col), right: Math.max(this.cur.col, this.anchor.col),
      };
    }

    has(row, col) {
      const r = this.rect();
      return !!r && row >= r.top && row <= r.bottom && col >= r.left && col <= r.right;
    }

    /** Keeps the selection inside a grid of rows x cols (after a filter or a delete). */
    clamp(rows, cols) {
      if (!this.cur || !this.anchor) return;
      if (rows === 0 || cols === 0) { this.clear(); return; }
      const fit = (p) => ({ row: Math.min(p.row, rows - 1), col: Math.min(p.col, cols - 1) });
      this.cur = fit(this.cur);
      this.anchor = fit(this.anchor);
    }
  }
  G.Selection = Selection;

  /**
   * Where a navigation key moves the focused cell, or null when the key is not one. `page` is the
   * number of rows in view. Tab wraps to the next row; Ctrl with an arrow, Home or End goes to the edge.
   */
  G.navigate = (key, mods, cur, rows, cols, page) => {
    const last = { row: rows - 1, col: cols - 1 };
    const r = cur.row, c = cur.col;
    switch (key) {
      case 'ArrowUp': return { row: mods.ctrl ? 0 : Math.max(0, r - 1), col: c };
      case 'ArrowDown': return { row: mods.ctrl ? last.row : Math.min(last.row, r + 1), col: c };
      case 'ArrowLeft': return { row: r, col: mods.ctrl ? 0 : Math.max(0, c - 1) };
      case 'ArrowRight': return { row: r, col: mods.ctrl ? last.col : Math.min(last.col, c + 1) };
      case 'Home': return mods.ctrl ? { row: 0, col: 0 } : { row: r, col: 0 };
      case 'End': return mods.ctrl ? last : { row: r, col: last.col };
      case 'PageUp': return { row: Math.max(0, r - page), col: c };
      case 'PageDown': return { row: Math.min(last.row, r + page), col: c };
      case 'Tab':
        if (mods.shift) return c > 0 ? { row: r, col: c - 1 } : r > 0 ? { row: r - 1, col: last.col } : null;
        return c < last.col ? { row: r, col: c + 1 } : r < last.row ? { row: r + 1, col: 0 } : null;
      default: return undefined;
    }
  };
})();
