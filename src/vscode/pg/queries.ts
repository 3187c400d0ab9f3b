import * as vscode from 'vscode';
import { isCancelled, isStorageError, messageOf, storageError } from '../../core/errors';
import type { PgDiagnostics, PgSession, QueryColumn, QueryRun, ScriptStatement } from '../../lazy/pg';
import type { Ctx } from '../ctx';
import { pg } from '../lazy';
import { openNamedQuery } from '../sql/queries';
import type { GridCell, StatementView } from '../webviews/gridProtocol';
import { GridPanel } from '../webviews/gridPanel';

/** What a PostgreSQL query document is bound to: one database of one connection. */
export interface PgTarget { connectionId: string; database: string; /** The connection's name, for titles. */ connection: string }

/** Rows in the first batch and in each "Fetch more". */
export const FIRST_ROWS = 500;
export const MORE_ROWS = 500;
/** Rows a results view keeps; older ones are dropped as more come, so memory stays bounded. */
export const KEEP_ROWS = 10_000;

/** What a run left on screen, as the run command returns it (and tests read it). */
export type RunOutcome =
  | { ok: true; sql: string; columns: string[]; rows: GridCell[][]; more: boolean; command: string | null; rowCount: number | null; ms: number }
  | { ok: false; sql: string; code: string; message: string; diagnostics: PgDiagnostics; cancelled: boolean };

/** `busy` while the server works on it (the first batch or a Fetch more): a new run cancels it first. */
interface Running { key: string; run?: QueryRun; sql: string; cancelled: boolean; busy: boolean }

const keyOf = (t: Pick<PgTarget, 'connectionId' | 'database'>) => `pg:${t.connectionId}/${t.database}`;
const labelOf = (t: PgTarget) => `${t.database} @ ${t.connection}`;

/** Type oids whose text is a number, so the results right-align them. */
const INT_OIDS = new Set([20, 21, 23, 26, 28]);
const REAL_OIDS = new Set([700, 701, 1700, 790]);

/** A result cell from the core's shape (server text, NULL, or a preview of a long value) to the grid's. */
export function toGridCell(v: string | null | { truncated: true; preview: string; storedBytes: number }, col: QueryColumn | undefined): GridCell {
  if (v === null || typeof v !== 'string') return v === null ? null : { t: 'text', v: v.preview, length: v.storedBytes };
  if (col && INT_OIDS.has(col.typeOid)) return { t: 'int', v };
  if (col && REAL_OIDS.has(col.typeOid)) return { t: 'real', v };
  return v;
}

/**
 * PostgreSQL query editors: SQL documents bound to a connection's database, titled after it, run
 * with Ctrl+Enter through a server-side cursor (first rows at once, "Fetch more", a real Cancel).
 * Errors are marked where the server says they are. Removing a connection tells its query tabs.
 */
export class PgQueries implements vscode.Disposable {
  private readonly bound = new Map<string, PgTarget>(); // document URI -> target
  /** Connections removed while query tabs were bound to them. */
  private readonly gone = new Set<string>();
  private readonly diagnostics: vscode.DiagnosticCollection;
  private readonly status: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];
  /** The open or running statement of each results panel (one per database). */
  private readonly current = new Map<string, Running>();
  private readonly runningChanged = new vscode.EventEmitter<string>();
  /** Fires with the results key when a statement starts or ends (tests wait on it, not on time). */
  readonly onDidChangeRunning = this.runningChanged.event;

  constructor(private readonly ctx: Ctx, private readonly sessions: (connectionId: string, database: string) => Promise<PgSession>) {
    this.diagnostics = vscode.languages.createDiagnosticCollection('storageInspector.pgQuery');
    this.status = vscode.window.createStatusBarItem('storageInspector.pgQueryDb', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'PostgreSQL query database';
    this.subs.push(this.diagnostics, this.status, this.runningChanged,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidCloseTextDocument((d) => { this.bound.delete(d.uri.toString()); this.diagnostics.delete(d.uri); }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (this.bound.has(e.document.uri.toString()) && e.contentChanges.length) this.clearErrors(e.document.uri); }));
    this.update();
  }

  /** Opens a new SQL editor bound to `target`, titled `<database> @ <connection>.sql`. */
  async newQuery(target: PgTarget, text?: string): Promise<vscode.TextEditor> {
    const content = text ?? `-- ${labelOf(target)}: Ctrl+Enter runs the statement under the cursor or the selection\nSELECT current_database(), current_user, version();\n`;
    const doc = await openNamedQuery(labelOf(target), content);
    this.bound.set(doc.uri.toString(), { ...target });
    this.gone.delete(target.connectionId);
    const editor = await vscode.window.showTextDocument(doc);
    this.update();
    return editor;
  }

  targetOf(doc: vscode.TextDocument): PgTarget | undefined {
    return this.bound.get(doc.uri.toString());
  }

  /** The statement a command acts on: the selection, else the one under the cursor. */
  async statementOf(editor: vscode.TextEditor): Promise<ScriptStatement> {
    const doc = editor.document;
    let stmt: ScriptStatement | undefined;
    if (!editor.selection.isEmpty) {
      const start = doc.offsetAt(editor.selection.start);
      const text = doc.getText(editor.selection);
      const lead = text.length - text.trimStart().length;
      const sql = text.trim();
      stmt = sql ? { sql, start: start + lead, end: start + lead + sql.length } : undefined;
    } else {
      stmt = pg().statementAt(doc.getText(), doc.offsetAt(editor.selection.active));
    }
    if (!stmt) throw storageError('BadInput', 'There is no statement here to run. Type one, or select the text to run.');
    return stmt;
  }

  /** The session of the editor's database; says so when its connection was removed. */
  async sessionOf(doc: vscode.TextDocument): Promise<{ target: PgTarget; session: PgSession }> {
    const target = this.targetOf(doc);
    if (!target) throw storageError('BadInput', 'This editor is not bound to a PostgreSQL database. Use "New Query" on a connection or database in the SQL view.');
    if (this.gone.has(target.connectionId)) throw storageError('NotFound', `The connection ${target.connection} was removed, so this query cannot run. Add the connection again, then "New Query" on it.`);
    return { target, session: await this.sessions(target.connectionId, target.database) };
  }

  /** The results panel of a database, with its Fetch more / Cancel buttons wired to this class. */
  private panelFor(target: PgTarget): GridPanel {
    const panel = GridPanel.results(this.ctx, undefined, { id: keyOf(target), label: labelOf(target) });
    panel.onQueryAction = (a) => {
      const act = a === 'fetchMore' ? this.fetchMore(keyOf(target)) : this.cancel(keyOf(target));
      act.catch((e: unknown) => panel.showError(messageOf(e)));
    };
    return panel;
  }

  /** Runs the selection or the statement under the cursor; the first rows show at once. */
  async run(editor: vscode.TextEditor): Promise<RunOutcome> {
    const doc = editor.document;
    const { target, session } = await this.sessionOf(doc);
    const stmt = await this.statementOf(editor);
    const key = keyOf(target);
    await this.closeRun(key);
    this.clearErrors(doc.uri);
    const panel = this.panelFor(target);
    const entry: Running = { key, sql: stmt.sql, cancelled: false, busy: true };
    this.current.set(key, entry);
    panel.showRunning(stmt.sql, true);
    this.setRunning(key);
    const t0 = performance.now();
    try {
      const run = await pg().QueryRun.open(session, stmt.sql);
      entry.run = run;
      this.setRunning(key);
      const first = await run.more(FIRST_ROWS);
      entry.busy = false;
      const ms = performance.now() - t0;
      const rows = first.rows.map((r) => r.map((c, i) => toGridCell(c, run.columns[i])));
      const { command, rowCount } = run.command;
      const view: StatementView = {
        sql: stmt.sql, columns: run.columns.map((c) => c.name), rows, truncated: false, changes: run.columns.length ? 0 : rowCount ?? 0, ms, more: !first.done,
        ...(run.columns.length ? (first.done ? {} : { note: 'more rows on the server' }) : command ? { note: `${command}${rowCount !== null ? ` ${rowCount}` : ''}` } : {}),
      };
      panel.showResults([view]);
      if (first.done) this.current.delete(key);
      return { ok: true, sql: stmt.sql, columns: view.columns, rows, more: !first.done, command, rowCount, ms };
    } catch (e) {
      this.current.delete(key);
      return this.failed(editor, panel, stmt, e, entry.cancelled);
    } finally {
      this.setRunning(key);
    }
  }

  /** The next rows of the open cursor, appended to the results (the oldest dropped beyond KEEP_ROWS). */
  async fetchMore(key: string): Promise<{ rows: number; more: boolean }> {
    const entry = this.current.get(key);
    const panel = GridPanel.find(`${key}\n#results`);
    if (!entry?.run || !panel) throw storageError('NotFound', 'No statement has more rows to fetch. Run it again (Ctrl+Enter).');
    const run = entry.run;
    entry.busy = true;
    this.setRunning(key);
    try {
      const batch = await run.more(MORE_ROWS);
      entry.busy = false;
      const rows = batch.rows.map((r) => r.map((c, i) => toGridCell(c, run.columns[i])));
      const dropped = Math.max(0, run.rowsRead - KEEP_ROWS);
      panel.appendRows(rows, !batch.done, KEEP_ROWS, dropped > 0 ? `showing the last ${KEEP_ROWS.toLocaleString()} of ${run.rowsRead.toLocaleString()} rows read` : batch.done ? 'all rows read' : 'more rows on the server');
      if (batch.done) this.current.delete(key);
      return { rows: rows.length, more: !batch.done };
    } catch (e) {
      this.current.delete(key);
      panel.showError(isCancelled(e) ? 'The statement was cancelled; the server stopped it.' : messageOf(e), { sql: entry.sql });
      throw e;
    } finally {
      this.setRunning(key);
    }
  }

  /** Sends a real cancel request for the running statement of `key` (else of the active editor's database). */
  async cancel(key?: string): Promise<boolean> {
    const k = key ?? this.activeKey();
    const entry = k ? this.current.get(k) : undefined;
    if (!entry?.run) return false;
    entry.cancelled = true;
    await entry.run.cancel();
    this.ctx.log.info(`cancel sent for the statement on ${k}`);
    return true;
  }

  /** The backend pid of the statement of `key` once it has a connection (at once if it has); for tests. */
  started(key: string): Promise<number> {
    const now = this.current.get(key)?.run?.pid;
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const sub = this.onDidChangeRunning((k) => {
        const pid = k === key ? this.current.get(key)?.run?.pid : undefined;
        if (pid !== undefined) { sub.dispose(); resolve(pid); }
      });
    });
  }

  private activeKey(): string | undefined {
    const editor = vscode.window.activeTextEditor;
    const t = editor ? this.targetOf(editor.document) : undefined;
    return t ? keyOf(t) : [...this.current.keys()][0];
  }

  private async closeRun(key: string): Promise<void> {
    const old = this.current.get(key);
    this.current.delete(key);
    if (!old?.run) return;
    // A statement still running would hold the connection until it ends: stop it first.
    if (old.busy) {
      old.cancelled = true;
      await old.run.cancel().catch(() => undefined);
    }
    await old.run.close().catch(() => undefined);
  }

  /** Shows a failure in place of the results and marks its position in the editor. */
  private failed(editor: vscode.TextEditor, panel: GridPanel, stmt: ScriptStatement, e: unknown, cancelled: boolean): RunOutcome {
    const diag: PgDiagnostics = (e as { diagnostics?: PgDiagnostics }).diagnostics ?? {};
    const message = cancelled && isCancelled(e) ? 'The statement was cancelled; the server stopped it.' : messageOf(e);
    panel.showError(message, { sql: stmt.sql, ...(diag.detail ? { detail: diag.detail } : {}), ...(diag.hint ? { hint: diag.hint } : {}), ...(diag.position ? { position: diag.position } : {}) });
    const doc = editor.document;
    const at = diag.position ? Math.min(stmt.end, stmt.start + diag.position - 1) : stmt.start;
    const pos = doc.positionAt(at);
    const word = doc.getWordRangeAtPosition(pos) ?? new vscode.Range(pos, doc.positionAt(Math.min(stmt.end, at + 1)));
    if (!cancelled) {
      const d = new vscode.Diagnostic(diag.position ? word : new vscode.Range(doc.positionAt(stmt.start), doc.positionAt(stmt.end)), message, vscode.DiagnosticSeverity.Error);
      d.source = 'PostgreSQL';
      if (diag.sqlstate) d.code = diag.sqlstate;
      this.diagnostics.set(doc.uri, [d]);
    }
    if (diag.position) {
      editor.selection = new vscode.Selection(word.start, word.end);
      editor.revealRange(word, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    this.ctx.log.warn(`query on ${keyOf(this.targetOf(doc) ?? { connectionId: '?', database: '?' })} failed: ${message.split('\n')[0]}`);
    return { ok: false, sql: stmt.sql, code: isStorageError(e) ? e.code : 'Unavailable', message, diagnostics: diag, cancelled: cancelled && isCancelled(e) };
  }

  private clearErrors(uri: vscode.Uri): void {
    // The closed-connection note stays until the tab is rebound.
    const t = this.bound.get(uri.toString());
    if (!t || !this.gone.has(t.connectionId)) this.diagnostics.delete(uri);
  }

  /** The connections that exist now: query tabs of any other connection learn theirs was removed. */
  connectionsNow(ids: Set<string>): void {
    const bound = new Set([...this.bound.values()].map((t) => t.connectionId));
    for (const id of bound) if (!ids.has(id) && !this.gone.has(id)) this.connectionRemoved(id);
  }

  /**
   * A connection was removed: its runs end, and its query tabs say so (an Information line in each
   * and one message). Running them afterwards says the connection is gone.
   */
  connectionRemoved(connectionId: string): void {
    const docs: vscode.Uri[] = [];
    let name = connectionId;
    for (const [uri, t] of this.bound) {
      if (t.connectionId !== connectionId) continue;
      name = t.connection;
      const doc = vscode.Uri.parse(uri);
      docs.push(doc);
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `The connection ${t.connection} was removed: queries here cannot run. Add it again and open a new query.`, vscode.DiagnosticSeverity.Information);
      d.source = 'Storage Inspector';
      this.diagnostics.set(doc, [d]);
    }
    for (const key of [...this.current.keys()]) if (key.startsWith(`pg:${connectionId}/`)) void this.closeRun(key);
    if (docs.length === 0) return;
    this.gone.add(connectionId);
    void vscode.window.showInformationMessage(`The connection ${name} was removed. Its query tab${docs.length === 1 ? '' : 's'} ${docs.map((d) => d.path.split('/').pop()).join(', ')} cannot run any more.`);
    this.update();
  }

  private setRunning(key: string): void {
    this.runningChanged.fire(key);
    this.update();
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    const t = editor ? this.targetOf(editor.document) : undefined;
    void vscode.commands.executeCommand('setContext', 'storageInspector.pgQueryEditor', !!t);
    if (!t) {
      this.status.hide();
      return;
    }
    const running = this.current.get(keyOf(t));
    const gone = this.gone.has(t.connectionId);
    this.status.text = `$(server) ${labelOf(t)}${gone ? ' (removed)' : running ? (running.run ? ' $(sync~spin) open cursor' : ' $(sync~spin) running') : ''}`;
    this.status.tooltip = gone ? `The connection ${t.connection} was removed.` : `Queries in this editor run on ${labelOf(t)}${running ? '. Click to cancel.' : ''}`;
    this.status.command = running ? 'storageInspector.pg.cancelQuery' : 'storageInspector.pg.runQuery';
    this.status.show();
  }

  dispose(): void {
    for (const key of [...this.current.keys()]) void this.closeRun(key);
    this.subs.forEach((d) => d.dispose());
  }
}
