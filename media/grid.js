// Data-grid webview (client side). Virtualized: only visible rows are in the DOM, and pages are
// pulled from the extension on demand. Edits happen in the cell; the keyboard does what it does in
// a spreadsheet. Talks to the host with the typed messages of gridProtocol.ts.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const G = /** @type {any} */ (window).SIGrid;
  const { el } = G;
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  const ROW_H = 24;
  const MAX_H = 8_000_000; // stay well under the browser's element height limit

  /** @type {any} */ let table = null; // the last 'table' message
  /** @type {any} */ let gstate = null; // the last 'state' message
  let generation = 0;
  /** @type {Map<number, any[]>} */ let pages = new Map();
  /** The pages before a re-read of the same table: shown (and their keys used) until fresh ones come. */
  /** @type {Map<number, any[]>} */ let stale = new Map();
  /** @type {Set<number>} */ let asked = new Set();
  /** Row count once a short page showed where the rows end (sources that only estimate). */
  /** @type {number|undefined} */ let endAt;
  const sel = new G.Selection();
  /** @type {{row:number,col:number,input:HTMLInputElement,start:any,touched:boolean,key:any}|null} */ let editing = null;
  /** @type {HTMLElement|null} */ let viewport = null;
  /** @type {HTMLElement|null} */ let tbody = null;
  let headH = 2 * ROW_H;
  let jumpToEnd = false;

  const post = (m) => vscode.postMessage(m);
  G.post = post;
  const cols = () => (table ? table.shape.columns : []);
  const rowCount = () => {
    if (!table) return 0;
    if (table.shape.total !== undefined) return table.shape.total;
    if (endAt !== undefined) return endAt;
    let loaded = 0;
    for (const [p, rows] of pages) loaded = Math.max(loaded, p * table.pageSize + rows.length);
    return Math.max(table.shape.estimate || 0, loaded + table.pageSize);
  };
  const rowAt = (i) => {
    const n = Math.floor(i / table.pageSize);
    const p = pages.get(n) || stale.get(n);
    return p ? p[i % table.pageSize] : undefined;
  };
  const readOnly = () => !table || table.shape.readOnlyReason !== undefined;

  function notice(message, isError = false) {
    const n = document.getElementById('notice');
    if (!n) return;
    n.textContent = message;
    n.className = isError ? 'notice error' : 'notice';
  }

  // ---- toolbar and layout ------------------------------------------------------------------------

  function button(label, title, onclick, id) {
    return el('button', { id, title, onclick: (ev) => { ev.preventDefault(); onclick(); } }, label);
  }

  function renderTable() {
    const info = table.shape;
    const ro = readOnly();
    const bar = el('div', { class: 'bar', role: 'toolbar', 'aria-label': 'Grid actions' },
      el('span', { class: 'title' }, table.title),
      el('span', { class: 'status', id: 'status' }),
      el('span', { class: 'pending', id: 'pending', 'aria-live': 'polite' }),
      button('Save', 'Save the database (Ctrl+S)', () => post({ type: 'save' }), 'save'),
      button('Discard', 'Discard the unsaved changes', () => post({ type: 'discard' }), 'discard'),
      ro ? '' : button('Insert Row', 'Insert a row with default values', () => { jumpToEnd = true; post({ type: 'insert' }); }, 'insert'),
      ro ? '' : button('Delete Rows', 'Delete the selected rows (Delete)', deleteRows, 'delete'),
      ro ? '' : button('Set NULL', 'Set the selected cells to NULL (Shift+Delete)', setNull, 'setnull'),
      table.sort ? button('Clear Sort', 'Back to the table order', () => post({ type: 'clearSort' }), 'clearsort') : '',
    );
    // Fixed widths: with widths from the content, columns would change size as rows scroll by.
    const widths = [64, ...info.columns.map((c) => (c.numeric ? 110 : 200))];
    // Through the CSSOM: the CSP (no 'unsafe-inline') drops style attributes.
    const colgroup = el('colgroup', {}, ...widths.map((w) => { const c = el('col'); c.style.width = `${w}px`; return c; }));
    const head = el('tr', {}, el('th', { class: 'rownum' }, '#'));
    const filters = el('tr', { class: 'filters' }, el('th', { class: 'rownum' }, ''));
    info.columns.forEach((c) => {
      const arrow = table.sort && table.sort.column === c.name ? (table.sort.desc ? ' ▼' : ' ▲') : '';
      const sort = () => post({ type: 'sort', column: c.name, desc: !!(table.sort && table.sort.column === c.name && !table.sort.desc) });
      head.append(el('th', {
        class: c.numeric ? 'num' : '', tabindex: '0', role: 'columnheader',
        title: `${c.type || 'no type'}${c.key ? ' · key' : ''}${c.notNull ? ' · NOT NULL' : ''}${c.readOnly ? ' · ' + c.readOnly : ''}\nClick or Enter to sort`,
        onclick: sort, onkeydown: (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); sort(); } },
      }, c.name + arrow));
      const current = (table.filters || []).find((f) => f.column === c.name);
      const input = /** @type {HTMLInputElement} */ (el('input', { placeholder: 'filter', 'aria-label': `Filter ${c.name}`, title: "text, =x, >x, <x, !=x, NULL, NOT NULL, '' (empty); Enter applies" }));
      input.value = current ? G.filterText(current) : '';
      input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') applyFilters(); });
      input.dataset.column = c.name;
      filters.append(el('th', {}, input));
    });
    tbody = el('tbody');
    const grid = el('table', { class: 'grid' }, colgroup, el('thead', {}, head, filters), tbody);
    grid.style.width = `${widths.reduce((a, b) => a + b, 0)}px`;
    const sizer = el('div', { class: 'sizer' }, grid);
    viewport = el('div', { class: 'viewport', tabindex: '0', role: 'grid', 'aria-label': `${table.title} rows`, 'aria-multiselectable': 'true' }, sizer);
    const foot = el('div', { class: 'foot' }, el('span', { id: 'where' }), el('span', { class: 'notice', id: 'notice', 'aria-live': 'polite' }));
    app.replaceChildren(bar, viewport, el('div', { class: 'detail', id: 'detail' }), foot);
    headH = /** @type {HTMLElement} */ (grid.tHead).offsetHeight || 2 * ROW_H;
    sizer.style.height = `${Math.min(rowCount() * ROW_H, MAX_H) + headH}px`;
    viewport.addEventListener('scroll', draw);
    viewport.addEventListener('keydown', onKey);
    new ResizeObserver(() => draw()).observe(viewport);
    renderState();
    draw();
  }

  function renderState() {
    const status = document.getElementById('status');
    if (status && table) {
      const n = rowCount();
      status.textContent = `${n.toLocaleString()}${table.shape.total === undefined && endAt === undefined ? '+' : ''} rows${table.sort ? ` · sorted by ${table.sort.column}${table.sort.desc ? ' desc' : ''}` : ''}${table.shape.readOnlyReason ? ' · read-only' : ''}${table.shape.note ? ` · ${table.shape.note}` : ''}`;
      if (table.shape.readOnlyReason || table.shape.note) status.title = [table.shape.readOnlyReason, table.shape.note].filter(Boolean).join('\n');
    }
    const pending = document.getElementById('pending');
    const s = gstate;
    if (pending && s) {
      const p = s.pending;
      const parts = [p.updated && `${p.updated} edited`, p.inserted && `${p.inserted} inserted`, p.deleted && `${p.deleted} deleted`].filter(Boolean);
      const count = p.updated + p.inserted + p.deleted;
      pending.textContent = !s.dirty ? 'No unsaved changes' : count > 0 ? `${count} unsaved change${count === 1 ? '' : 's'} (${parts.join(', ')})` : 'Unsaved changes (from a query)';
      pending.classList.toggle('dirty', s.dirty);
    }
    for (const id of ['save', 'discard']) {
      const b = /** @type {HTMLButtonElement|null} */ (document.getElementById(id));
      if (b) b.disabled = !(s && s.dirty);
    }
  }

  function applyFilters() {
    const inputs = /** @type {NodeListOf<HTMLInputElement>} */ (app.querySelectorAll('tr.filters input'));
    const filters = [];
    for (const i of inputs) {
      const f = G.parseFilter(i.dataset.column, i.value);
      if (f) filters.push(f);
    }
    post({ type: 'filter', filters });
  }

  // ---- virtualization ------------------------------------------------------------------------------

  const visibleRows = () => Math.max(1, Math.floor(((viewport ? viewport.clientHeight : 0) - headH) / ROW_H));
  const scaled = () => rowCount() * ROW_H > MAX_H;

  function firstVisible() {
    if (!viewport) return 0;
    if (!scaled()) return Math.floor(viewport.scrollTop / ROW_H);
    // Scaled scrollbar: the position maps proportionally onto the rows.
    const range = Math.max(1, viewport.scrollHeight - viewport.clientHeight);
    return Math.round((viewport.scrollTop / range) * Math.max(0, rowCount() - visibleRows()));
  }

  function scrollToFirst(first) {
    if (!viewport) return;
    if (!scaled()) viewport.scrollTop = first * ROW_H;
    else viewport.scrollTop = (first / Math.max(1, rowCount() - visibleRows())) * Math.max(1, viewport.scrollHeight - viewport.clientHeight);
  }

  function pull(first, last) {
    const size = table.pageSize;
    for (let p = Math.floor(first / size); p <= Math.floor((last + size / 2) / size); p++) {
      if (p * size >= rowCount() || pages.has(p) || asked.has(p)) continue;
      asked.add(p);
      const before = pages.get(p - 1);
      const after = before && before.length === size ? before[size - 1].key : undefined;
      post({ type: 'page', offset: p * size, limit: size, generation, ...(after ? { after } : {}) });
    }
  }

  function draw() {
    if (!viewport || !tbody || !table) return;
    const total = rowCount();
    const count = visibleRows() + 1;
    const first = Math.max(0, Math.min(firstVisible(), total - count + 1));
    const last = Math.min(total, first + count);
    pull(first, last);
    const columns = cols();
    const rows = [];
    for (let i = first; i < last; i++) {
      const r = rowAt(i);
      const tr = el('tr', { class: r && r.inserted ? 'inserted' : r && r.deleted ? 'deleted' : '', 'aria-rowindex': String(i + 1) },
        el('td', { class: 'rownum', onmousedown: (ev) => { ev.preventDefault(); selectRow(i, ev.shiftKey); } }, String(i + 1)));
      columns.forEach((c, ci) => {
        const v = r ? r.cells[ci] : undefined;
        const classes = [];
        if (c.numeric || (r && G.isNumber(v))) classes.push('num');
        if (sel.has(i, ci)) classes.push('inrange');
        if (sel.cur && sel.cur.row === i && sel.cur.col === ci) classes.push('cursor');
        if (r && r.changed && r.changed.includes(ci)) classes.push('changed');
        const td = el('td', { class: classes.join(' '), role: 'gridcell', 'data-col': String(ci) });
        if (editing && editing.row === i && editing.col === ci) {
          td.classList.add('editing');
          td.append(editing.input);
        } else if (r) {
          td.append(G.cellNode(v, () => post({ type: 'showAll', key: r.key, column: c.name, edit: false })));
        }
        td.addEventListener('mousedown', (ev) => {
          if (editing && editing.row === i && editing.col === ci) return;
          ev.preventDefault();
          commitEdit();
          sel.set(i, ci, ev.shiftKey);
          focusGrid();
          draw();
        });
        td.addEventListener('dblclick', () => startEdit());
        tr.append(td);
      });
      rows.push(tr);
    }
    tbody.replaceChildren(...rows);
    if (editing && editing.input.isConnected && document.activeElement !== editing.input) editing.input.focus();
    renderWhere();
  }

  function renderWhere() {
    const w = document.getElementById('where');
    if (!w) return;
    const r = sel.rect();
    if (!r || !sel.cur) { w.textContent = ''; return; }
    const c = cols()[sel.cur.col];
    const size = (r.bottom - r.top + 1) * (r.right - r.left + 1);
    w.textContent = `Row ${(sel.cur.row + 1).toLocaleString()}, ${c ? c.name : ''}${size > 1 ? ` · ${(r.bottom - r.top + 1).toLocaleString()} × ${r.right - r.left + 1} selected` : ''}`;
  }

  /** Scrolls so the focused cell is in view (rows by the virtual index, columns by the cell's box). */
  function reveal() {
    if (!viewport || !sel.cur) return;
    const first = firstVisible();
    const page = visibleRows();
    if (sel.cur.row < first) scrollToFirst(sel.cur.row);
    else if (sel.cur.row >= first + page) scrollToFirst(sel.cur.row - page + 1);
    draw();
    const td = /** @type {HTMLElement|null} */ (tbody && tbody.querySelector('td.cursor'));
    if (td) {
      const left = td.offsetLeft - 64; // keep it clear of the sticky row numbers
      if (left < viewport.scrollLeft) viewport.scrollLeft = Math.max(0, left);
      else if (td.offsetLeft + td.offsetWidth > viewport.scrollLeft + viewport.clientWidth) viewport.scrollLeft = td.offsetLeft + td.offsetWidth - viewport.clientWidth;
    }
  }

  function focusGrid() {
    if (viewport && document.activeElement !== viewport) viewport.focus({ preventScroll: true });
  }

  function selectRow(row, extend) {
    commitEdit();
    if (extend && sel.anchor) sel.set(row, cols().length - 1, true);
    else { sel.set(row, 0); sel.set(row, cols().length - 1, true); }
    focusGrid();
    draw();
  }

  G.grid = { get table() { return table; }, draw, reveal, post, rowAt, cols, rowCount, readOnly, notice, sel, focusGrid, visibleRows,
    get editing() { return editing; }, set editing(v) { editing = v; } };

  // ---- keyboard, editing, copy (gridEdit.js) ------------------------------------------------------
  const onKey = (ev) => G.onGridKey(ev);
  const startEdit = (text) => G.startEdit(text);
  const commitEdit = () => G.commitEdit();
  const deleteRows = () => G.deleteRows();
  const setNull = () => G.setNull();

  // ---- messages ----------------------------------------------------------------------------------

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    switch (m.type) {
      case 'table': {
        // After an edit the same table comes again: keep the place, the selection and an open editor.
        const same = table && table.title === m.title && JSON.stringify(table.sort) === JSON.stringify(m.sort) && JSON.stringify(table.filters) === JSON.stringify(m.filters);
        const top = same && viewport ? viewport.scrollTop : 0;
        const left = same && viewport ? viewport.scrollLeft : 0;
        const hadFocus = !!viewport && viewport.contains(document.activeElement);
        // Rows that moved (an insert, a delete, a discard) must not be shown from the old pages.
        const keepStale = same && table.shape.total === m.shape.total;
        table = m;
        generation++;
        stale = keepStale ? new Map([...stale, ...pages]) : new Map();
        pages = new Map();
        asked = new Set();
        endAt = undefined;
        if (!same) { sel.clear(); editing = null; }
        sel.clamp(rowCount(), cols().length);
        renderTable();
        if (viewport) { viewport.scrollTop = top; viewport.scrollLeft = left; }
        // Only the stale pages near the view are worth keeping (bounded memory across many edits).
        const near = Math.floor(firstVisible() / table.pageSize);
        for (const k of [...stale.keys()]) if (Math.abs(k - near) > 2) stale.delete(k);
        if (jumpToEnd && rowCount() > 0) {
          jumpToEnd = false;
          sel.set(rowCount() - 1, 0);
          reveal();
        }
        if (!sel.cur && rowCount() > 0) sel.set(0, 0);
        if (hadFocus || !same) focusGrid();
        draw();
        break;
      }
      case 'rows': {
        if (!table || m.generation !== generation) return;
        const p = Math.floor(m.page.offset / table.pageSize);
        pages.set(p, m.page.rows);
        if (table.shape.total === undefined && m.page.rows.length < table.pageSize) endAt = m.page.offset + m.page.rows.length;
        draw();
        renderState();
        break;
      }
      case 'state': gstate = m.state; renderState(); break;
      case 'cell': G.onFullCell(m); break;
      case 'results': table = null; viewport = null; G.renderResults(app, m); break;
      case 'moreRows': G.appendRows(m); break;
      case 'running': table = null; viewport = null; G.renderRunning(app, m); break;
      case 'failed': table = null; viewport = null; G.renderFailure(app, m); break;
      case 'plan': table = null; viewport = null; G.renderPlan(app, m); break;
      case 'notice': notice(m.message); break;
      case 'error': {
        const e = document.getElementById('error');
        if (e) e.textContent = m.message;
        notice(m.message, true);
        break;
      }
    }
  });
  post({ type: 'ready' });
})();
