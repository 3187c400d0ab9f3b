import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { atomicWrite } from '../../core/local/atomicWrite';
import type { FromGrid, GridFilter, GridKey, GridSort, ToGrid } from './gridProtocol';
import type { GridShape, GridSource } from './gridSource';
import { copyRange } from './copyRange';

/**
 * One table grid's side of the conversation: turns webview messages into calls on its source,
 * one at a time and in order (a cell committed just before Ctrl+S is in the save), and keeps the
 * tab title and the toolbar's pending count in step with the source.
 */
export class TableView implements vscode.Disposable {
  shape: GridShape | undefined;
  private sort: GridSort | undefined;
  private filters: GridFilter[] = [];
  private queue: Promise<void> = Promise.resolve();
  private wasDirty = false;
  /** Counts re-reads, to tell a stale page request from a current one. */
  private epoch = 0;
  private readonly sub: vscode.Disposable;

  constructor(
    readonly source: GridSource,
    private readonly panel: vscode.WebviewPanel,
    private readonly pageSize: number,
    private readonly post: (m: ToGrid) => void,
    private readonly refreshGroup: () => Promise<void>,
  ) {
    this.sub = source.onDidChange(() => {
      const was = this.wasDirty;
      this.sendState();
      // Saved or discarded, here or from the tree: re-read, so no row stays marked as edited.
      if (was && !source.dirty) void this.reopen().catch(() => undefined);
    });
  }

  /** Re-reads the shape (after a sort, filter or data change) and tells the grid. */
  async reopen(): Promise<void> {
    this.epoch++;
    this.shape = await this.source.open({ ...(this.sort ? { sort: this.sort } : {}), filters: this.filters });
    this.post({ type: 'table', title: this.source.title, shape: this.shape, pageSize: this.pageSize, filters: this.filters, ...(this.sort ? { sort: this.sort } : {}) });
    this.sendState();
  }

  sendState(): void {
    const dirty = this.source.dirty;
    this.wasDirty = dirty;
    this.panel.title = `${dirty ? '● ' : ''}${this.source.title}`;
    this.post({ type: 'state', state: { title: this.source.title, dirty, pending: this.source.pending(), readOnly: this.shape?.readOnlyReason !== undefined } });
  }

  receive(m: FromGrid): void {
    // Pages do not wait behind a save; everything else runs in the order the user did it.
    if (m.type === 'page') {
      // A page asked for before a re-read may find its cursor gone; the grid asks again, so say nothing.
      const epoch = this.epoch;
      void this.handle(m).catch((e: unknown) => { if (epoch === this.epoch) this.post({ type: 'error', message: messageOf(e) }); });
      return;
    }
    this.queue = this.queue.then(() => this.run(m));
  }

  private async run(m: FromGrid): Promise<void> {
    try {
      await this.handle(m);
    } catch (e) {
      this.post({ type: 'error', message: messageOf(e) });
    }
  }

  private async handle(m: FromGrid): Promise<void> {
    const s = this.source;
    switch (m.type) {
      case 'ready': return;
      case 'page': {
        const page = await s.page({ offset: m.offset, limit: Math.min(m.limit, 1000), ...(m.after ? { after: m.after } : {}) });
        this.post({ type: 'rows', page, generation: m.generation });
        return;
      }
      case 'sort':
        this.sort = { column: m.column, desc: m.desc };
        return this.reopen();
      case 'clearSort':
        this.sort = undefined;
        return this.reopen();
      case 'filter':
        this.filters = m.filters;
        return this.reopen();
      case 'showAll':
        this.post({ type: 'cell', key: m.key, column: m.column, value: await s.fullCell(m.key, m.column), edit: m.edit });
        return;
      case 'saveValue':
        return this.saveValue(m.key, m.column);
      case 'update':
        await s.update(m.key, m.column, m.value);
        return this.refreshGroup();
      case 'insert':
        await s.insert();
        return this.refreshGroup();
      case 'delete':
        if (await s.delete(m.keys, true)) await this.refreshGroup();
        return;
      case 'save':
        await s.save();
        this.sendState();
        return;
      case 'discard':
        if (await s.discard()) await this.refreshGroup();
        return;
      case 'copy': {
        const { text, rows, cut } = await copyRange(s, this.shape, m);
        await vscode.env.clipboard.writeText(text);
        this.post({ type: 'notice', message: `Copied ${rows.toLocaleString()} row(s) as tab-separated text${cut ? ` (stopped at ${cut})` : ''}.` });
        return;
      }
    }
  }

  /** Writes one cell's whole value to a file the user picks (text as UTF-8, a BLOB as its bytes). */
  private async saveValue(key: GridKey, column: string): Promise<void> {
    const dest = await vscode.window.showSaveDialog({ saveLabel: 'Save Value', title: `Save the value of ${column}` });
    if (!dest) return;
    const bytes = await this.source.valueBytes(key, column);
    if (dest.scheme === 'file') await atomicWrite(dest.fsPath, bytes);
    else await vscode.workspace.fs.writeFile(dest, bytes);
    this.post({ type: 'notice', message: `Saved ${bytes.length.toLocaleString()} bytes of ${column} to ${dest.toString(true)}.` });
  }

  dispose(): void {
    this.sub.dispose();
    this.source.dispose();
  }
}
