import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { atomicWrite } from '../../core/local/atomicWrite';
import type { CursorInfo, Filter, PlanNode, RowsPage, StatementResult, WireValue } from '../../lazy/sql';
import type { Ctx } from '../ctx';
import { readSetting } from '../settings';
import type { Databases, OpenDb } from '../sql/databases';
import { type FromGrid, type ToGrid, isFromGrid } from './gridProtocol';
import { webviewHtml } from './html';

interface TableState {
  table: string;
  sort?: { column: string; desc: boolean };
  filters: Filter[];
  info?: CursorInfo;
}

/**
 * The data-grid panel: rows of one table (virtualized, pages pulled on demand), or the results
 * and query plans of one database's query editor.
 */
export class GridPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, GridPanel>();
  readonly panel: vscode.WebviewPanel;
  private state: TableState | undefined;
  private last: ToGrid | undefined;
  private ready = false;
  private readonly subs: vscode.Disposable[] = [];

  private constructor(private readonly ctx: Ctx, private readonly dbs: Databases, readonly db: OpenDb, readonly key: string, title: string) {
    this.panel = vscode.window.createWebviewPanel('storageInspector.sqlGrid', title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(ctx.context.extensionUri, 'media')],
    });
    this.panel.webview.html = webviewHtml(this.panel.webview, ctx.context.extensionUri, 'grid.js', 'grid.css', title);
    this.subs.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The panel for a table's rows (one per database and table). */
  static async showTable(ctx: Ctx, dbs: Databases, db: OpenDb, table: string): Promise<GridPanel> {
    const key = `${db.id}\n${table}`;
    let p = GridPanel.panels.get(key);
    if (!p) {
      p = new GridPanel(ctx, dbs, db, key, `${table} — ${db.label}`);
      GridPanel.panels.set(key, p);
      p.state = { table, filters: [] };
    }
    p.panel.reveal();
    await p.reopen();
    return p;
  }

  /** The results panel of a database's queries. */
  static results(ctx: Ctx, dbs: Databases, db: OpenDb): GridPanel {
    const key = `${db.id}\n#results`;
    let p = GridPanel.panels.get(key);
    if (!p) {
      p = new GridPanel(ctx, dbs, db, key, `Results — ${db.label}`);
      GridPanel.panels.set(key, p);
    }
    p.panel.reveal(vscode.ViewColumn.Beside, true);
    return p;
  }

  static forDb(dbId: string): GridPanel[] {
    return [...GridPanel.panels.values()].filter((p) => p.db.id === dbId);
  }

  static find(key: string): GridPanel | undefined {
    return GridPanel.panels.get(key);
  }

  showResults(results: StatementResult[]): void {
    this.post({ type: 'results', title: `${results.length} statement(s)`, results });
  }

  showPlan(sql: string, nodes: PlanNode[]): void {
    this.post({ type: 'plan', title: 'Query plan', sql, nodes });
  }

  showError(message: string): void {
    this.post({ type: 'error', message });
  }

  get cursor(): CursorInfo | undefined {
    return this.state?.info;
  }

  /** Reopens the cursor (after a sort, filter or data change) and tells the grid. */
  async reopen(): Promise<void> {
    const s = this.state;
    if (!s) return;
    const q: { table: string; sort?: { column: string; desc: boolean }; filters: Filter[] } = { table: s.table, filters: s.filters };
    if (s.sort) q.sort = s.sort;
    if (s.info) void this.db.session.call('closeCursor', { cursor: s.info.cursor }).catch(() => undefined);
    s.info = await this.db.session.call('openCursor', q);
    const msg: ToGrid = { type: 'table', title: s.table, info: s.info, pageSize: readSetting('sql.pageSize'), readOnly: this.db.readOnly || !s.info.editable, filters: s.filters };
    if (s.sort) msg.sort = s.sort;
    this.post(msg);
  }

  /** One page, as the webview asks for it (also used by tests through a command). */
  async page(offset: number, limit: number): Promise<RowsPage> {
    const info = this.state?.info;
    if (!info) throw new Error('This panel shows no table.');
    return this.db.session.call('page', { cursor: info.cursor, offset, limit });
  }

  private post(m: ToGrid): void {
    if (m.type !== 'rows' && m.type !== 'cell') this.last = m;
    if (this.ready) void this.panel.webview.postMessage(m);
  }

  private async receive(m: unknown): Promise<void> {
    if (!isFromGrid(m)) return;
    try {
      await this.handle(m);
    } catch (e) {
      void this.panel.webview.postMessage({ type: 'error', message: messageOf(e) } satisfies ToGrid);
    }
  }

  private async handle(m: FromGrid): Promise<void> {
    const s = this.state;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.last) void this.panel.webview.postMessage(this.last);
        return;
      case 'page': {
        const page = await this.page(m.offset, Math.min(m.limit, 1000));
        void this.panel.webview.postMessage({ type: 'rows', page, generation: m.generation } satisfies ToGrid);
        return;
      }
      case 'sort':
        if (s) s.sort = { column: m.column, desc: m.desc };
        return this.reopen();
      case 'clearSort':
        if (s) delete s.sort;
        return this.reopen();
      case 'filter':
        if (s) s.filters = m.filters;
        return this.reopen();
      case 'showAll': {
        if (!s) return;
        const value = await this.db.session.call('cell', { table: s.table, key: m.key, column: m.column });
        void this.panel.webview.postMessage({ type: 'cell', key: m.key, column: m.column, value } satisfies ToGrid);
        return;
      }
      case 'saveValue': {
        if (!s) return;
        await this.saveValue(s.table, m.key, m.column);
        return;
      }
      case 'update':
      case 'insert':
      case 'delete':
        if (!s) return;
        if (this.db.readOnly) throw new Error(`${this.db.label} is open read-only.`);
        if (m.type === 'update') await this.db.session.call('update', { table: s.table, key: m.key, values: { [m.column]: m.value } });
        else if (m.type === 'insert') await this.db.session.call('insert', { table: s.table, values: m.values });
        else await this.db.session.call('delete', { table: s.table, key: m.key });
        await this.dbs.refresh(this.db);
        await GridPanel.refreshTables(this.db.id);
        return;
    }
  }

  /** Writes one cell's whole value to a file the user picks (text as UTF-8, a BLOB as its bytes). */
  private async saveValue(table: string, key: WireValue[], column: string): Promise<void> {
    const dest = await vscode.window.showSaveDialog({ saveLabel: 'Save Value', title: `Save the value of ${column}` });
    if (!dest) return;
    const { bytes } = await this.db.session.call('cellValue', { table, key, column });
    if (dest.scheme === 'file') await atomicWrite(dest.fsPath, bytes);
    else await vscode.workspace.fs.writeFile(dest, bytes);
    this.ctx.log.info(`saved ${bytes.length} bytes of ${column} from ${this.db.label} to ${dest.toString(true)}`);
  }

  /** After a change, every grid of that database re-reads its rows. */
  static async refreshTables(dbId: string): Promise<void> {
    await Promise.all(GridPanel.forDb(dbId).filter((p) => p.state).map((p) => p.reopen().catch(() => undefined)));
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    GridPanel.panels.delete(this.key);
    const info = this.state?.info;
    if (info) void this.db.session.call('closeCursor', { cursor: info.cursor }).catch(() => undefined);
    this.subs.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}
