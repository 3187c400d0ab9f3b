import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { readSetting } from '../settings';
import { type FailureView, type GridCell, type PlanView, type StatementView, type ToGrid, isFromGrid } from './gridProtocol';
import type { GridSource } from './gridSource';
import { webviewHtml } from './html';
import { TableView } from './tableView';

/** The webview scripts of the grid, in load order (plain scripts sharing one namespace). */
const SCRIPTS = ['gridCells.js', 'gridSelection.js', 'gridEdit.js', 'grid.js'];

/**
 * The data-grid panel: the rows of one table from a GridSource (virtualized, pages pulled on
 * demand), or the results and query plans of one database's query editor.
 */
export class GridPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, GridPanel>();
  readonly panel: vscode.WebviewPanel;
  private table: TableView | undefined;
  private last: ToGrid | undefined;
  private ready = false;
  /** A results panel's "Fetch more" and Cancel buttons, handled by whoever runs its queries. */
  onQueryAction: ((action: 'fetchMore' | 'cancelQuery') => void) | undefined;
  private readonly subs: vscode.Disposable[] = [];

  private constructor(ctx: Ctx, readonly key: string, readonly group: string, title: string) {
    this.panel = vscode.window.createWebviewPanel('storageInspector.sqlGrid', title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(ctx.context.extensionUri, 'media')],
    });
    this.panel.webview.html = webviewHtml(this.panel.webview, ctx.context.extensionUri, SCRIPTS, 'grid.css', title);
    this.subs.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (!isFromGrid(m)) return;
        if (m.type === 'ready') {
          this.ready = true;
          if (this.last) void this.panel.webview.postMessage(this.last);
          this.table?.sendState();
          return;
        }
        if (m.type === 'fetchMore' || m.type === 'cancelQuery') {
          this.onQueryAction?.(m.type);
          return;
        }
        this.table?.receive(m);
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The panel for one table's rows; `key` names it (one per database and table), `make` builds its source. */
  static async showTable(ctx: Ctx, key: string, make: () => GridSource): Promise<GridPanel> {
    let p = GridPanel.panels.get(key);
    if (!p) {
      const source = make();
      p = new GridPanel(ctx, key, source.group, source.title);
      GridPanel.panels.set(key, p);
      const pageSize = Math.max(20, Math.min(1000, readSetting('sql.pageSize')));
      p.table = new TableView(source, p.panel, pageSize, (m) => p!.post(m), () => GridPanel.refreshTables(source.group));
    }
    p.panel.reveal();
    await p.table!.reopen();
    return p;
  }

  /** The results panel of a database's queries (`id` names the database or the PostgreSQL connection and database). */
  static results(ctx: Ctx, _dbs: unknown, db: { id: string; label: string }): GridPanel {
    const key = `${db.id}\n#results`;
    let p = GridPanel.panels.get(key);
    if (!p) {
      p = new GridPanel(ctx, key, db.id, `Results — ${db.label}`);
      GridPanel.panels.set(key, p);
    }
    p.panel.reveal(vscode.ViewColumn.Beside, true);
    return p;
  }

  /** Every panel of one group (a database): its table grids and its results. */
  static forDb(group: string): GridPanel[] {
    return [...GridPanel.panels.values()].filter((p) => p.group === group);
  }

  static find(key: string): GridPanel | undefined {
    return GridPanel.panels.get(key);
  }

  /** The table grid the user is looking at, if the active tab is one. */
  static active(): GridPanel | undefined {
    return [...GridPanel.panels.values()].find((p) => p.table && p.panel.active);
  }

  /** The source behind a table grid (undefined for a results panel). */
  get source(): GridSource | undefined {
    return this.table?.source;
  }

  /** What the results panel shows now, for tests: the kind of view and its statements or failure. */
  shown: { type: 'results'; results: StatementView[] } | { type: 'running'; sql: string } | { type: 'failed'; failure: FailureView } | { type: 'plan' } | undefined;

  showResults(results: StatementView[]): void {
    this.shown = { type: 'results', results };
    this.post({ type: 'results', title: `${results.length} statement(s)`, results });
  }

  /** Appends rows fetched by "Fetch more" to the last statement shown; the view keeps the last `keep`. */
  appendRows(rows: GridCell[][], more: boolean, keep: number, note?: string): void {
    const last = this.shown?.type === 'results' ? this.shown.results[this.shown.results.length - 1] : undefined;
    if (last) {
      last.rows = [...last.rows, ...rows].slice(-keep);
      last.more = more;
      if (note !== undefined) last.note = note;
    }
    this.post({ type: 'moreRows', rows, more, keep, ...(note !== undefined ? { note } : {}) });
  }

  /** Clears the old results: a statement is running (with Cancel when it can be cancelled). */
  showRunning(sql: string, cancellable: boolean): void {
    this.shown = { type: 'running', sql };
    this.post({ type: 'running', title: 'Running…', sql, cancellable });
  }

  showPlan(sql: string, nodes: PlanView[]): void {
    this.shown = { type: 'plan' };
    this.post({ type: 'plan', title: 'Query plan', sql, nodes });
  }

  /** A failed statement replaces the old results, so nothing on screen looks like its output. */
  showError(message: string, failure: Partial<FailureView> = {}): void {
    const f: FailureView = { sql: '', ...failure, message };
    this.shown = { type: 'failed', failure: f };
    this.post({ type: 'failed', title: 'The statement failed', failure: f });
  }

  /** Rows and total of the table shown, as the webview last got them. */
  get cursor(): { total: number } | undefined {
    const shape = this.table?.shape;
    return shape ? { total: shape.total ?? shape.estimate ?? 0 } : undefined;
  }

  /** One page, as the webview asks for it (also used by tests through a command). */
  page(offset: number, limit: number): Promise<{ offset: number; rows: unknown[] }> {
    if (!this.table) throw new Error('This panel shows no table.');
    return this.table.source.page({ offset, limit });
  }

  private post(m: ToGrid): void {
    // The last view-defining message is replayed when the webview (re)loads.
    if (m.type === 'table' || m.type === 'results' || m.type === 'plan' || m.type === 'running' || m.type === 'failed') this.last = m;
    // Replayed after a reload, the results carry the rows fetched since.
    if (m.type === 'moreRows' && this.last?.type === 'results' && this.shown?.type === 'results') this.last = { ...this.last, results: this.shown.results };
    if (this.ready) void this.panel.webview.postMessage(m);
  }

  /** After a change, every grid of that database re-reads its rows. */
  static async refreshTables(group: string): Promise<void> {
    await Promise.all(GridPanel.forDb(group).map((p) => p.table?.reopen().catch(() => undefined)));
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    GridPanel.panels.delete(this.key);
    this.table?.dispose();
    this.subs.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}
