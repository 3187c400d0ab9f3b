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

  /** The last statement's table body and status, so "Fetch more" appends to them. */
  let lastResult = null;

  G.renderResults = (app, m) => {
    lastResult = null;
    const post = G.post;
    const sections = m.results.map((r, i) => {
      const status = el('div', { class: 'status' }, resultStatus(r));
      const table = r.columns.length ? staticTable(r.columns, r.rows) : '';
      if (i === m.results.length - 1 && table) lastResult = { r: { ...r, seen: r.rows.length }, status, tbody: table.tBodies[0], more: null };
      return el('section', {}, el('h3', {}, `${i + 1}. ${r.sql.length > 120 ? r.sql.slice(0, 120) + '…' : r.sql}`), status, table);
    });
    const last = m.results[m.results.length - 1];
    // In the bar, so it stays in reach however far the rows are scrolled.
    const more = last && last.more ? el('button', { id: 'fetchmore', title: 'Read the next rows from the server-side cursor', onclick: () => post({ type: 'fetchMore' }) }, 'Fetch more') : '';
    const summary = el('span', { class: 'status', id: 'summary' }, lastResult ? resultStatus(lastResult.r) : '');
    if (lastResult) { lastResult.more = more || null; lastResult.summary = summary; }
    app.replaceChildren(el('div', { class: 'bar' }, el('span', { class: 'title' }, m.title), summary, more), el('div', { class: 'viewport results' }, ...sections), el('div', { class: 'error', id: 'error' }));
  };

  function resultStatus(r) {
    const n = r.seen !== undefined ? r.seen : r.rows.length;
    const base = r.columns.length ? `${n.toLocaleString()}${r.truncated || r.more ? '+' : ''} rows · ${r.ms.toFixed(1)} ms` : `${r.changes} row(s) changed · ${r.ms.toFixed(1)} ms`;
    return r.note ? `${base} · ${r.note}` : base;
  }

  /** Rows from "Fetch more": appended, and the oldest dropped beyond `keep` (bounded memory). */
  G.appendRows = (m) => {
    const last = lastResult;
    if (!last) return;
    for (const row of m.rows) last.tbody.append(el('tr', {}, ...row.map((c) => el('td', G.isNumber(c) ? { class: 'num' } : {}, G.cellNode(c)))));
    while (last.tbody.rows.length > m.keep) last.tbody.deleteRow(0);
    last.r.seen += m.rows.length;
    last.r.more = m.more;
    if (m.note !== undefined) last.r.note = m.note;
    last.status.textContent = resultStatus(last.r);
    if (last.summary) last.summary.textContent = resultStatus(last.r);
    if (!m.more && last.more) last.more.remove();
  };

  G.renderRunning = (app, m) => {
    lastResult = null;
    const cancel = m.cancellable ? el('button', { id: 'cancelquery', title: 'Ask the server to stop the statement', onclick: () => G.post({ type: 'cancelQuery' }) }, 'Cancel') : '';
    app.replaceChildren(el('div', { class: 'bar' }, el('span', { class: 'title' }, m.title), el('span', { class: 'status' }, m.sql.length > 200 ? m.sql.slice(0, 200) + '…' : m.sql), cancel),
      el('div', { class: 'viewport results' }), el('div', { class: 'error', id: 'error' }));
  };

  /** A failure replaces the results: the message, the server's DETAIL and HINT, and the statement. */
  G.renderFailure = (app, m) => {
    lastResult = null;
    const f = m.failure;
    const [head, ...rest] = f.message.split('\n');
    const lines = [el('div', { class: 'message' }, head), ...rest.map((l) => el('div', {}, l))];
    if (f.detail && !f.message.includes(f.detail)) lines.push(el('div', {}, `DETAIL: ${f.detail}`));
    if (f.hint && !f.message.includes(f.hint)) lines.push(el('div', {}, `HINT: ${f.hint}`));
    if (f.position) lines.push(el('div', { class: 'status' }, `at character ${f.position} of the statement (marked in the editor)`));
    app.replaceChildren(el('div', { class: 'bar' }, el('span', { class: 'title' }, m.title)),
      el('div', { class: 'viewport results failed' }, el('section', {}, f.sql ? el('h3', {}, f.sql.length > 200 ? f.sql.slice(0, 200) + '…' : f.sql) : '', el('div', { class: 'error', id: 'error', role: 'alert' }, ...lines))));
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
