// Data-grid webview: the keyboard, the inline cell editor, Set NULL / Delete Rows, and copy as TSV.
// Uses the grid's state through SIGrid.grid (media/grid.js).
// @ts-check
(function () {
  const G = /** @type {any} */ (window).SIGrid;
  const g = () => G.grid;
  const LOCAL_COPY_CELLS = 200_000; // above this, or with unloaded rows, the host copies

  function cellAt(row, col) {
    const r = g().rowAt(row);
    return r ? { row: r, value: r.cells[col], column: g().cols()[col] } : undefined;
  }

  /** Why the focused cell cannot be typed into, or '' when it can. */
  function whyNotEditable(c) {
    const t = g().table;
    if (t.shape.readOnlyReason) return t.shape.readOnlyReason;
    if (c.column.readOnly) return c.column.readOnly;
    if (G.isBlob(c.value)) return `${c.column.name} holds a BLOB (${c.value.size} bytes): it is not edited as text. Set NULL (Shift+Delete) or change it with a query.`;
    return '';
  }

  /** Opens the editor in the focused cell; `initial` replaces the text (a typed character). */
  G.startEdit = (initial) => {
    const grid = g();
    const cur = grid.sel.cur;
    if (!grid.table || !cur || grid.editing) return;
    const c = cellAt(cur.row, cur.col);
    if (!c) { grid.notice('That row is still loading.'); return; }
    const why = whyNotEditable(c);
    if (why) { grid.notice(why, true); return; }
    if (G.isTruncated(c.value)) {
      // The grid holds a preview; edit the whole value once it comes.
      grid.post({ type: 'showAll', key: c.row.key, column: c.column.name, edit: true });
      grid.notice('Loading the whole value to edit…');
      return;
    }
    openEditor(cur.row, cur.col, c, c.value, initial);
  };

  function openEditor(row, col, c, start, initial) {
    const grid = g();
    const input = /** @type {HTMLInputElement} */ (G.el('input', { class: 'cell-editor', 'aria-label': `Edit ${c.column.name}, row ${row + 1}`, spellcheck: 'false' }));
    input.value = initial !== undefined ? initial : G.cellText(start);
    if (start === null) input.placeholder = 'NULL';
    const ed = { row, col, input, start, touched: initial !== undefined, key: c.row.key };
    input.addEventListener('input', () => { ed.touched = true; input.placeholder = ''; });
    input.addEventListener('keydown', (ev) => onEditorKey(ev));
    input.addEventListener('blur', () => { if (grid.editing === ed) setTimeout(() => { if (grid.editing === ed && document.activeElement !== input) G.commitEdit(); }, 0); });
    grid.editing = ed;
    grid.draw();
    input.focus();
    if (initial === undefined) input.select();
    else input.setSelectionRange(input.value.length, input.value.length);
    grid.notice('Enter saves the cell, Escape cancels, Tab saves and moves on.');
  }

  /** The whole value of a truncated cell: shown below the grid, or opened in the editor. */
  G.onFullCell = (m) => {
    const grid = g();
    const cur = grid.sel.cur;
    if (m.edit) {
      if (!cur) return;
      const c = cellAt(cur.row, cur.col);
      if (!c || c.column.name !== m.column || JSON.stringify(c.row.key) !== JSON.stringify(m.key)) return;
      if (G.isTruncated(m.value)) { grid.notice(`${m.column} is ${m.value.length.toLocaleString()} characters long: too long to edit in a cell. Change it with a query, or see it with "… chars" and Save Value As.`, true); return; }
      openEditor(cur.row, cur.col, c, m.value);
      return;
    }
    const d = document.getElementById('detail');
    if (!d) return;
    const text = /** @type {HTMLTextAreaElement} */ (G.el('textarea', { readonly: true, 'aria-label': `Value of ${m.column}` }));
    text.value = G.cellText(m.value) + (G.isTruncated(m.value) ? `\n… (${m.value.length.toLocaleString()} in all)` : '');
    // "Show all" is bounded too; the whole of a long value goes to a file.
    const save = G.el('button', { class: 'secondary', onclick: () => grid.post({ type: 'saveValue', key: m.key, column: m.column }) }, 'Save Value As...');
    d.replaceChildren(G.el('span', { class: 'title' }, m.column), text, save, G.el('button', { class: 'secondary', onclick: () => { d.classList.remove('open'); grid.focusGrid(); } }, 'Close'));
    d.classList.add('open');
  };

  /** Sends the edit when the text changed; the host re-reads the rows afterwards. */
  G.commitEdit = () => {
    const grid = g();
    const ed = grid.editing;
    if (!ed) return;
    grid.editing = null;
    const text = ed.input.value;
    const unchanged = ed.start === null ? !ed.touched : text === G.cellText(ed.start);
    if (!unchanged) {
      const column = grid.cols()[ed.col];
      grid.post({ type: 'update', key: ed.key, column: column.name, value: { text, wasNumber: G.isNumber(ed.start) } });
      // Show it now; the host's re-read replaces it.
      const r = grid.rowAt(ed.row);
      if (r && JSON.stringify(r.key) === JSON.stringify(ed.key)) { r.cells[ed.col] = text; r.changed = [...(r.changed || []), ed.col]; }
    }
    grid.notice(unchanged ? '' : `Changed ${grid.cols()[ed.col].name}; Ctrl+S saves the database.`);
    grid.focusGrid();
    grid.draw();
  };

  function cancelEdit() {
    const grid = g();
    grid.editing = null;
    grid.notice('Edit cancelled.');
    grid.focusGrid();
    grid.draw();
  }

  function onEditorKey(ev) {
    ev.stopPropagation();
    const grid = g();
    const ctrl = ev.ctrlKey || ev.metaKey;
    if (ev.key === 'Enter') { ev.preventDefault(); G.commitEdit(); }
    else if (ev.key === 'Escape') { ev.preventDefault(); cancelEdit(); }
    else if (ev.key === 'Tab') { ev.preventDefault(); G.commitEdit(); move('Tab', ev); }
    else if (ctrl && ev.key.toLowerCase() === 's') { ev.preventDefault(); G.commitEdit(); grid.post({ type: 'save' }); }
  }

  function move(key, ev) {
    const grid = g();
    const cur = grid.sel.cur;
    if (!cur) return false;
    const to = G.navigate(key, { ctrl: ev.ctrlKey || ev.metaKey, shift: ev.shiftKey }, cur, grid.rowCount(), grid.cols().length, grid.visibleRows());
    if (to === undefined) return false;
    if (to === null) return key !== 'Tab'; // Tab past the last cell leaves the grid
    grid.sel.set(to.row, to.col, ev.shiftKey && key !== 'Tab');
    grid.reveal();
    return true;
  }

  /** Keys on the grid itself (not in the cell editor). */
  G.onGridKey = (ev) => {
    const grid = g();
    if (!grid.table || ev.target !== ev.currentTarget) return;
    const ctrl = ev.ctrlKey || ev.metaKey;
    const k = ev.key;
    if (!grid.sel.cur && grid.rowCount() > 0) grid.sel.set(0, 0);
    if (move(k, ev)) { ev.preventDefault(); return; }
    if (k === 'Enter' || k === 'F2') { ev.preventDefault(); G.startEdit(); }
    else if (k === 'Escape') { const c = grid.sel.cur; if (c) grid.sel.set(c.row, c.col); grid.draw(); }
    else if (ctrl && k.toLowerCase() === 'a') { ev.preventDefault(); selectAll(); }
    else if (ctrl && k.toLowerCase() === 's') { ev.preventDefault(); grid.post({ type: 'save' }); }
    // Not Ctrl+Alt+N: VS Code for the web binds it (seen here: it hid the grid behind a new editor).
    else if (k === 'Delete' && ev.shiftKey && !ctrl) { ev.preventDefault(); G.setNull(); }
    else if (k === 'Delete' && !ctrl) { ev.preventDefault(); G.deleteRows(); }
    else if (k.length === 1 && !ctrl && !ev.altKey) { ev.preventDefault(); G.startEdit(k); }
  };

  function selectAll() {
    const grid = g();
    const n = grid.rowCount();
    if (n === 0) return;
    grid.sel.anchor = { row: 0, col: 0 };
    grid.sel.cur = { row: n - 1, col: grid.cols().length - 1 };
    grid.draw();
    grid.notice(`Selected all ${n.toLocaleString()} rows; Ctrl+C copies them.`);
  }

  /** Keys of the selected rows, when all of them are loaded (else a message and null). */
  function selectedKeys() {
    const grid = g();
    const r = grid.sel.rect();
    if (!r) { grid.notice('Select a cell or a row first.', true); return null; }
    const keys = [];
    for (let i = r.top; i <= r.bottom; i++) {
      const row = grid.rowAt(i);
      if (!row) { grid.notice(`Only rows loaded in the grid can be changed at once; rows ${r.top + 1}–${r.bottom + 1} are not all loaded. Use a query for bulk changes.`, true); return null; }
      keys.push(row.key);
    }
    return keys;
  }

  G.deleteRows = () => {
    const grid = g();
    if (grid.readOnly()) { grid.notice(grid.table.shape.readOnlyReason, true); return; }
    const keys = selectedKeys();
    if (keys) grid.post({ type: 'delete', keys });
  };

  G.setNull = () => {
    const grid = g();
    const r = grid.sel.rect();
    const keys = selectedKeys();
    if (!r || !keys) return;
    for (let ci = r.left; ci <= r.right; ci++) {
      const col = grid.cols()[ci];
      if (grid.readOnly() || col.readOnly) { grid.notice(grid.table.shape.readOnlyReason || col.readOnly, true); return; }
    }
    if (keys.length * (r.right - r.left + 1) > 1000) { grid.notice('Set NULL changes at most 1000 cells at once; use a query for more.', true); return; }
    keys.forEach((key, i) => {
      for (let ci = r.left; ci <= r.right; ci++) {
        if (grid.rowAt(r.top + i).cells[ci] !== null) grid.post({ type: 'update', key, column: grid.cols()[ci].name, value: null });
      }
    });
  };

  // Ctrl+C: the browser (or VS Code, on the desktop) fires 'copy'; a loaded range is copied here,
  // anything bigger by the host, which reads the rows page by page.
  document.addEventListener('copy', (ev) => {
    const grid = g();
    if (!grid || !grid.table || grid.editing) return;
    const r = grid.sel.rect();
    if (!r) return;
    ev.preventDefault();
    const columns = [];
    for (let c = r.left; c <= r.right; c++) columns.push(c);
    const lines = [];
    let local = (r.bottom - r.top + 1) * columns.length <= LOCAL_COPY_CELLS;
    for (let i = r.top; local && i <= r.bottom; i++) {
      const row = grid.rowAt(i);
      if (!row || columns.some((c) => G.isTruncated(row.cells[c]))) { local = false; break; }
      lines.push(columns.map((c) => G.tsvField(row.cells[c])).join('\t'));
    }
    if (local && ev.clipboardData) {
      ev.clipboardData.setData('text/plain', lines.join('\n'));
      grid.notice(`Copied ${lines.length.toLocaleString()} × ${columns.length} cell(s) as tab-separated text.`);
    } else {
      grid.post({ type: 'copy', offset: r.top, count: r.bottom - r.top + 1, columns });
      grid.notice('Copying…');
    }
  });
})();
