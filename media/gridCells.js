// Data-grid webview: cells, filters, query results and plans. Plain script (the CSP allows only
// our nonce'd files); the grid's scripts share the SIGrid namespace. Knows no database: a cell is
// the neutral shape of src/vscode/webviews/gridProtocol.ts.
// @ts-check
(function () {
  const G = /** @type {any} */ (window).SIGrid = /** @type {any} */ (window).SIGrid || {};

  /** @returns {HTMLElement} */
  G.el = (tag, attrs = {}, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const k of kids) if (k !== null && k !== undefined && k !== '') e.append(k);
    return e;
  };
  const el = G.el;

  G.isNumber = (c) => typeof c === 'number' || (c !== null && typeof c === 'object' && (c.t === 'int' || c.t === 'real'));
  G.isBlob = (c) => c !== null && typeof c === 'object' && c.t === 'blob';
  /** A preview: the grid holds only the start of the value. */
  G.isTruncated = (c) => c !== null && typeof c === 'object' && (c.t === 'text' || (c.t === 'blob' && c.size * 2 > c.hex.length));

  G.cellNode = (c, onMore) => {
    if (c === null) return el('span', { class: 'null', title: 'NULL' }, 'NULL');
    if (c === '') return el('span', { class: 'empty', title: 'empty string' }, '');
    if (typeof c === 'number') return document.createTextNode(String(c));
    if (typeof c === 'string') return document.createTextNode(c);
    if (c.t === 'int' || c.t === 'real') return document.createTextNode(c.v);
    if (c.t === 'text') {
      const more = el('span', { class: 'more', title: 'Show all' }, `… ${c.length.toLocaleString()} chars`);
      if (onMore) more.addEventListener('click', (ev) => { ev.stopPropagation(); onMore(); });
      return el('span', {}, c.v, more);
    }
    if (c.t === 'blob') {
      const hex = c.hex.replace(/(..)/g, '$1 ').trim();
      const more = G.isTruncated(c) && onMore ? el('span', { class: 'more', title: 'Show more, or save the value to a file' }, '…') : '';
      if (more) more.addEventListener('click', (ev) => { ev.stopPropagation(); onMore(); });
      return el('span', { class: 'blob', title: `BLOB, ${c.size} bytes` }, `BLOB ${c.size} B · ${hex}`, more);
    }
    return document.createTextNode(JSON.stringify(c));
  };

  /** The text an inline editor starts with ('' for NULL, which shows as a placeholder). */
  G.cellText = (c) => {
    if (c === null) return '';
    if (typeof c === 'number' || typeof c === 'string') return String(c);
    if (c.t === 'blob') return c.hex;
    return c.v;
  };

  /** One TSV field, spreadsheet style (src/vscode/webviews/copyRange.ts does the same on the host). */
  G.tsvField = (c) => {
    const s = G.cellText(c);
    return /[\t\n\r"]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };

  /** Filter syntax: text (contains), =x, !=x, <x, <=x, >x, >=x, NULL, NOT NULL, '' (empty string). */
  G.parseFilter = (column, text) => {
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
  };

  G.filterText = (f) => {
    if (f.op === 'null') return 'NULL';
    if (f.op === 'notnull') return 'NOT NULL';
    if (f.op === 'contains') return String(f.value);
    if (f.op === '=' && f.value === '') return "''";
    return f.op + String(f.value);
  };

  function staticTable(columns, rows) {
    const head = el('tr', {}, ...columns.map((c) => el('th', {}, c)));
    const body = rows.map((r) => el('tr', {}, ...r.map((c) => el('td', G.isNumber(c) ? { class: 'num' } : {}, G.cellNode(c)))));
    return el('table', { class: 'grid static' }, el('thead', {}, head), el('tbody', {}, ...body));
  }

  G.renderResults = (app, m) => {
    const sections = m.results.map((r, i) => el('section', {},
      el('h3', {}, `${i + 1}. ${r.sql.length > 120 ? r.sql.slice(0, 120) + '…' : r.sql}`),
      el('div', { class: 'status' }, r.columns.length ? `${r.rows.length}${r.truncated ? '+' : ''} rows · ${r.ms.toFixed(1)} ms` : `${r.changes} row(s) changed · ${r.ms.toFixed(1)} ms`),
      r.columns.length ? staticTable(r.columns, r.rows) : ''));
    app.replaceChildren(el('div', { class: 'bar' }, el('span', { class: 'title' }, m.title)), el('div', { class: 'viewport results' }, ...sections), el('div', { class: 'error', id: 'error' }));
  };

  function planList(nodes) {
    return el('ul', {}, ...nodes.map((n) => el('li', {},
      el('span', { class: `badge ${n.kind}` }, n.kind === 'scan' ? 'FULL SCAN' : n.kind === 'search' ? 'INDEX' : n.kind === 'sort' ? 'SORT' : 'STEP'),
      el('span', { class: n.kind }, n.detail),
      n.children.length ? planList(n.children) : '')));
  }

  G.renderPlan = (app, m) => {
    app.replaceChildren(
      el('div', { class: 'bar' }, el('span', { class: 'title' }, m.title), el('span', { class: 'status' }, m.sql)),
      el('div', { class: 'viewport plan' }, planList(m.nodes)), el('div', { class: 'error', id: 'error' }));
  };
})();
