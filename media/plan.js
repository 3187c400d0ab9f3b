// Plan webview (client side): draws one EXPLAIN (FORMAT JSON) plan as a tree. Plain script under
// a strict CSP; the extension sends the parsed plan of src/core/pg/plan.ts (misestimates and the
// slowest nodes already worked out there).
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));

  /** The element builder of media/gridCells.js, loaded before this script. */
  const el = /** @type {any} */ (window).SIGrid.el;
  const num = (n) => Number(n).toLocaleString('en');
  const ms = (n) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`;

  function rows(n) {
    if (n.actualRows === undefined) return el('span', { class: 'rows', title: 'Estimated rows' }, `est. ${num(n.estimatedRows)} rows`);
    const off = n.misestimate !== undefined && n.misestimate >= 10;
    const dir = n.actualRows > n.estimatedRows ? 'under' : 'over';
    return el('span', { class: off ? 'rows misestimate' : 'rows', title: off ? `The planner ${dir}estimated this node by ${n.misestimate.toFixed(0)}x: stale statistics (ANALYZE) or correlated columns.` : 'Estimated vs actual rows (per loop)' },
      `est. ${num(n.estimatedRows)} → actual ${num(n.actualRows)} rows${n.loops > 1 ? ` × ${num(n.loops)} loops` : ''}`,
      off ? el('span', { class: 'badge warn' }, `${n.misestimate >= 100 ? Math.round(n.misestimate) : n.misestimate.toFixed(0)}x off`) : '');
  }

  /** The largest self time: that node alone is "slowest"; others over the share are "slow". */
  let slowestMs = 0;
  const walk = (n, f) => { f(n); n.children.forEach((c) => walk(c, f)); };

  function timing(n) {
    if (n.selfMs === undefined) return '';
    const share = Math.round((n.timeShare || 0) * 100);
    const bar = el('span', { class: 'bar' }, el('span', { class: 'fill' }));
    /** @type {HTMLElement} */ (bar.firstChild).style.width = `${Math.max(1, share)}%`;
    return el('span', { class: n.slow ? 'time slow' : 'time', title: 'Time in this node itself, without its children' },
      bar, `${ms(n.selfMs)} · ${share}%`, n.slow ? el('span', { class: 'badge slow' }, n.selfMs === slowestMs ? 'slowest' : 'slow') : '');
  }

  function buffers(b) {
    if (!b) return '';
    const parts = [`hit ${num(b.sharedHit)}`, `read ${num(b.sharedRead)}`];
    if (b.sharedDirtied) parts.push(`dirtied ${num(b.sharedDirtied)}`);
    if (b.sharedWritten) parts.push(`written ${num(b.sharedWritten)}`);
    if (b.tempRead || b.tempWritten) parts.push(`temp ${num(b.tempRead)}/${num(b.tempWritten)}`);
    return el('span', { class: 'buffers', title: 'Shared buffers (8 KB pages): hit in cache, read from disk' }, `buffers ${parts.join(' · ')}`);
  }

  function node(n) {
    const rel = n.relation ? `${n.schema ? n.schema + '.' : ''}${n.relation}${n.alias && n.alias !== n.relation ? ` ${n.alias}` : ''}` : '';
    const head = el('div', { class: `node${n.slow ? ' slow' : ''}`, role: 'treeitem' },
      el('span', { class: 'type' }, n.nodeType),
      rel ? el('span', { class: 'relation', title: 'Relation' }, `on ${rel}`) : '',
      n.index ? el('span', { class: 'index', title: 'Index' }, `using ${n.index}`) : '',
      el('span', { class: 'cost', title: 'Total estimated cost' }, `cost ${n.estimatedCost.toFixed(2)}`),
      rows(n), timing(n), buffers(n.buffers));
    const details = n.details.length ? el('ul', { class: 'details' }, ...n.details.map((d) => el('li', {}, d))) : '';
    return el('li', {}, head, details, n.children.length ? el('ul', { role: 'group' }, ...n.children.map(node)) : '');
  }

  function render(m) {
    const p = m.plan;
    slowestMs = 0;
    walk(p.root, (n) => { if ((n.selfMs || 0) > slowestMs) slowestMs = n.selfMs; });
    const facts = [p.planningMs !== undefined ? `planning ${ms(p.planningMs)}` : '', p.executionMs !== undefined ? `execution ${ms(p.executionMs)}` : '',
      p.analyzed && p.rolledBack ? 'run inside a transaction that was rolled back: nothing changed' : ''].filter(Boolean).join(' · ');
    const json = el('details', {}, el('summary', {}, 'EXPLAIN output (JSON)'), el('pre', {}, m.json));
    app.replaceChildren(
      el('div', { class: 'head' }, el('span', { class: 'title' }, m.title), el('span', { class: 'facts' }, facts)),
      el('pre', { class: 'sql' }, m.sql),
      el('ul', { class: 'tree', role: 'tree', 'aria-label': 'Plan nodes' }, node(p.root)),
      json);
  }

  window.addEventListener('message', (ev) => { if (ev.data && ev.data.type === 'plan') render(ev.data); });
  vscode.postMessage({ type: 'ready' });
})();
