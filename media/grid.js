// Data-grid webview (client side). Virtualized: only visible rows are in the DOM, and pages are
// pulled from the extension on demand. Talks to the host with typed messages (gridProtocol.ts).
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  const ROW_H = 24;
  const MAX_H = 8_000_000; // stay well under the browser's element height limit

  /** @type {any} */ let table = null; // the last 'table' message
  let generation = 0;
  /** @type {Map<number, any[]>} */ let pages = new Map();
  /** @type {Set<number>} */ let asked = new Set();
  /** @type {{row:number,col:number}|null} */ let sel = null;
  /** @type {HTMLElement|null} */ let viewport = null;

  const el = (tag, attrs = {}, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const k of kids) e.append(k);
    return e;
  };

  function cellNode(c, onMore) {
    if (c === null) return el('span', { class: 'null', title: 'NULL' }, 'NULL');
    if (c === '') return el('span', { class: 'empty', title: 'empty string' }, '');
    if (typeof c === 'number') return el('span', { class: 'num' }, String(c));
    if (typeof c === 'string') return document.createTextNode(c);
    if (c.t === 'int' || c.t === 'real') return el('span', { class: 'num' }, c.v);
    if (c.t === 'text') {
      const more = el('span', { class: 'more', title: 'Show all' }, `… ${c.length} chars`);
      if (onMore) more.addEventListener('click', (ev) => { ev.stopPropagation(); onMore(); });
      return el('span', {}, c.v, more);
    }
    if (c.t === 'blob') {
      const hex = c.hex.replace(/(..)/g, '$1 ').trim();
      const more = c.size * 2 > c.hex.length ? '…' : '';
      return el('span', { class: 'blob', title: `BLOB, ${c.size} bytes` }, `BLOB ${c.size} B · ${hex}${more}`);
    }
    return document.createTextNode(JSON.stringify(c));
  }

  function cellText(c) {
    if (c === null) return '';
    if (typeof c === 'number' || typeof c === 'string') return String(c);
    if (c.t === 'blob') return c.hex;
    return c.v;
  }

  function cellType(c) {
    if (c === null) return 'null';
    if (typeof c === 'number') return Number.isInteger(c) ? 'integer' : 'real';
    if (typeof c === 'string') return 'text';
    return { int: 'integer', real: 'real', text: 'text', blob: 'blob' }[c.t] || 'text';
  }

  /** The editor's value, typed as the user chose. */
  function typedValue(type, text) {
    if (type === 'null') return null;
    if (type === 'integer') {
      if (!/^-?\d+$/.test(text.trim())) throw new Error('Not an integer: ' + text);
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : { t: 'int', v: text.trim() };
    }
    if (type === 'real') {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new Error('Not a number: ' + text);
      return n;
    }
    if (type === 'blob') {
      const hex = text.replace(/\s+/g, '');
      if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error('A BLOB is written as hex digits, two per byte.');
      return { t: 'blob', hex };
    }
    return text;
  }

  /** Filter syntax: text (contains), =x, !=x, <x, <=x, >x, >=x, NULL, NOT NULL, '' (empty string). */
  function parseFilter(column, text) {
    const t = text.trim();
    if (t === '') return null;
    if (/^null$/i.test(t)) return { column, op: 'null' };
    if (/^not null$/i.test(t)) return { column, op: 'notnull' };
    if (t === "''") return { column, op: '=', value: '' };
    const m = /^(<=|>=|!=|=|<|>)\s*(.*)$/.exec(t);
    if (!m) return { column, op: 'contains', value: t };
    const raw = m[2];
    const value = raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    return { column, op: m[1], value };
  }

  function renderTable() {
    const info = table.info;
    const cols = info.columns;
    const bar = el('div', { class: 'bar' },
      el('span', { class: 'title' }, table.title),
      el('span', { class: 'status', id: 'status' }, `${info.total.toLocaleString()} rows${table.sort ? ` · sorted by ${table.sort.column}${table.sort.desc ? ' desc' : ''}` : ''}${table.readOnly ? ' · read-only' : ''}`),
    );
    if (table.sort) bar.append(el('button', { class: 'secondary', onclick: () => vscode.postMessage({ type: 'clearSort' }) }, 'Clear sort'));
    if (!table.readOnly) bar.append(el('button', { onclick: () => vscode.postMessage({ type: 'insert', values: {} }), title: 'Insert a row with default values' }, 'Insert Row'));
    const head = el('tr', {}, el('th', { class: 'rownum' }, '#'));
    const filters = el('tr', { class: 'filters' }, el('th', {}, ''));
    for (const c of cols) {
      const arrow = table.sort && table.sort.column === c.name ? (table.sort.desc ? ' ▼' : ' ▲') : '';
      head.append(el('th', {
        title: `${c.type || 'no type'}${c.pk ? ' · PK ' + c.pk : ''}${c.notNull ? ' · NOT NULL' : ''}${c.generated ? ' · generated' : ''}\nClick to sort`,
        onclick: () => vscode.postMessage({ type: 'sort', column: c.name, desc: !!(table.sort && table.sort.column === c.name && !table.sort.desc) }),
      }, c.name + arrow));
      const current = (table.filters || []).find((f) => f.column === c.name);
      const input = el('input', { placeholder: 'filter', value: current ? filterText(current) : '', title: "text, =x, >x, <x, !=x, NULL, NOT NULL, '' (empty)" });
      input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') applyFilters(); });
      input.dataset.column = c.name;
      filters.append(el('th', {}, input));
    }
    const tbody = el('tbody');
    const grid = el('table', { class: 'grid' }, el('thead', {}, head, filters), tbody);
    const sizer = el('div', { style: 'position: relative' }, grid);
    grid.style.position = 'sticky';
    grid.style.top = '0';
    viewport = el('div', { class: 'viewport' }, sizer);
    const editor = el('div', { class: 'editor', id: 'editor' });
    app.replaceChildren(bar, viewport, editor, el('div', { class: 'error', id: 'error' }));
    const height = Math.min(info.total * ROW_H, MAX_H);
    sizer.style.height = `${height + 2 * ROW_H}px`;
    viewport.addEventListener('scroll', () => draw(tbody));
    draw(tbody);
  }

  function filterText(f) {
    if (f.op === 'null') return 'NULL';
    if (f.op === 'notnull') return 'NOT NULL';
    if (f.op === 'contains') return String(f.value);
    if (f.op === '=' && f.value === '') return "''";
    return f.op + String(f.value);
  }

  function applyFilters() {
    const inputs = /** @type {NodeListOf<HTMLInputElement>} */ (app.querySelectorAll('tr.filters input'));
    const filters = [];
    for (const i of inputs) {
      const f = parseFilter(i.dataset.column, i.value);
      if (f) filters.push(f);
    }
    vscode.postMessage({ type: 'filter', filters });
  }

  function firstVisible() {
    if (!viewport) return 0;
    const total = table.info.total;
    const visible = Math.ceil(viewport.clientHeight / ROW_H);
    if (total * ROW_H <= MAX_H) return Math.floor(viewport.scrollTop / ROW_H);
    // Scaled scrollbar: the position maps proportionally onto the rows.
    const range = Math.max(1, viewport.scrollHeight - viewport.clientHeight);
    return Math.round((viewport.scrollTop / range) * Math.max(0, total - visible));
  }

  function rowAt(i) {
    const p = pages.get(Math.floor(i / table.pageSize));
    return p ? p[i % table.pageSize] : undefined;
  }

  function draw(tbody) {
    if (!viewport) return;
    const total = table.info.total;
    const count = Math.ceil(viewport.clientHeight / ROW_H) + 1;
    const first = Math.min(firstVisible(), Math.max(0, total - count + 1));
    const last = Math.min(total, first + count);
    // Pull the pages that cover the visible rows (and the next one, to scroll smoothly).
    for (let p = Math.floor(first / table.pageSize); p <= Math.floor((last + table.pageSize / 2) / table.pageSize); p++) {
      if (p * table.pageSize >= total || pages.has(p) || asked.has(p)) continue;
      asked.add(p);
      vscode.postMessage({ type: 'page', offset: p * table.pageSize, limit: table.pageSize, generation });
    }
    const rows = [];
    for (let i = first; i < last; i++) {
      const r = rowAt(i);
      const tr = el('tr', sel && sel.row === i ? { class: 'selected' } : {}, el('td', { class: 'rownum' }, String(i + 1)));
      table.info.columns.forEach((c, ci) => {
        const td = el('td', sel && sel.row === i && sel.col === ci ? { class: 'sel' } : {});
        if (r) td.append(cellNode(r.cells[ci], () => vscode.postMessage({ type: 'showAll', key: r.key, column: c.name })));
        td.addEventListener('click', () => select(i, ci));
        tr.append(td);
      });
      rows.push(tr);
    }
    tbody.replaceChildren(...rows);
  }

  function select(row, col) {
    sel = { row, col };
    const tbody = /** @type {HTMLElement} */ (app.querySelector('tbody'));
    draw(tbody);
    openEditor();
  }

  function openEditor(full) {
    const editor = document.getElementById('editor');
    if (!editor || !sel) return;
    const r = rowAt(sel.row);
    const c = table.info.columns[sel.col];
    if (!r || !c) return;
    const value = full !== undefined ? full : r.cells[sel.col];
    const text = el('textarea', {});
    text.value = cellText(value);
    const type = el('select', {});
    for (const t of ['text', 'integer', 'real', 'blob', 'null']) type.append(el('option', t === cellType(value) ? { value: t, selected: '' } : { value: t }, t === 'null' ? 'NULL' : t));
    const truncated = value && typeof value === 'object' && ((value.t === 'text') || (value.t === 'blob' && value.size * 2 > value.hex.length));
    const ro = table.readOnly || c.generated;
    text.readOnly = ro || !!truncated;
    const save = el('button', { onclick: () => {
      try {
        vscode.postMessage({ type: 'update', key: r.key, column: c.name, value: typedValue(type.value, text.value) });
      } catch (e) { showError(String(e && e.message || e)); }
    } }, 'Save Cell');
    const kids = [el('span', { class: 'title' }, `${c.name}, row ${sel.row + 1}`), type, text];
    if (truncated) kids.push(el('button', { class: 'secondary', onclick: () => vscode.postMessage({ type: 'showAll', key: r.key, column: c.name }) }, 'Show all'));
    // "Show all" is bounded too; the whole of a long value goes to a file.
    if (truncated) kids.push(el('button', { class: 'secondary', onclick: () => vscode.postMessage({ type: 'saveValue', key: r.key, column: c.name }) }, 'Save Value As...'));
    if (!ro && !truncated) kids.push(save, el('button', { class: 'secondary', onclick: () => vscode.postMessage({ type: 'update', key: r.key, column: c.name, value: null }) }, 'Set NULL'));
    if (!table.readOnly) kids.push(el('button', { class: 'secondary', onclick: () => vscode.postMessage({ type: 'delete', key: r.key }) }, 'Delete Row'));
    editor.replaceChildren(...kids);
    editor.classList.add('open');
  }

  function showError(message) {
    const e = document.getElementById('error');
    if (e) e.textContent = message;
    else app.append(el('div', { class: 'error' }, message));
  }

  function staticTable(columns, rows) {
    const head = el('tr', {}, ...columns.map((c) => el('th', {}, c)));
    const body = rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, cellNode(c)))));
    return el('table', { class: 'grid' }, el('thead', {}, head), el('tbody', {}, ...body));
  }

  function renderResults(m) {
    const sections = m.results.map((r, i) => el('section', {},
      el('h3', {}, `${i + 1}. ${r.sql.length > 120 ? r.sql.slice(0, 120) + '…' : r.sql}`),
      el('div', { class: 'status' }, r.columns.length ? `${r.rows.length}${r.truncated ? '+' : ''} rows · ${r.ms.toFixed(1)} ms` : `${r.changes} row(s) changed · ${r.ms.toFixed(1)} ms`),
      r.columns.length ? staticTable(r.columns, r.rows) : ''));
    app.replaceChildren(el('div', { class: 'bar' }, el('span', { class: 'title' }, m.title)), el('div', { class: 'viewport results' }, ...sections));
    table = null;
  }

  function planList(nodes) {
    return el('ul', {}, ...nodes.map((n) => el('li', {},
      el('span', { class: `badge ${n.kind}` }, n.kind === 'scan' ? 'FULL SCAN' : n.kind === 'search' ? 'INDEX' : n.kind === 'sort' ? 'SORT' : 'STEP'),
      el('span', { class: n.kind }, n.detail),
      n.children.length ? planList(n.children) : '')));
  }

  function renderPlan(m) {
    app.replaceChildren(
      el('div', { class: 'bar' }, el('span', { class: 'title' }, m.title), el('span', { class: 'status' }, m.sql)),
      el('div', { class: 'viewport plan' }, planList(m.nodes)));
    table = null;
  }

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    switch (m.type) {
      case 'table': {
        // After an edit the same table comes again: keep the place and the selected cell.
        const same = table && table.title === m.title && JSON.stringify(table.sort) === JSON.stringify(m.sort) && JSON.stringify(table.filters) === JSON.stringify(m.filters);
        const top = same && viewport ? viewport.scrollTop : 0;
        table = m;
        generation++;
        pages = new Map();
        asked = new Set();
        if (!same) sel = null;
        renderTable();
        if (top && viewport) viewport.scrollTop = top;
        break;
      }
      case 'rows':
        if (!table || m.generation !== generation) return;
        pages.set(Math.floor(m.page.offset / table.pageSize), m.page.rows);
        draw(/** @type {HTMLElement} */ (app.querySelector('tbody')));
        if (sel) openEditor();
        break;
      case 'cell':
        if (sel) openEditor(m.value);
        break;
      case 'results': renderResults(m); break;
      case 'plan': renderPlan(m); break;
      case 'error': showError(m.message); break;
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
