import * as vscode from 'vscode';
import { isCancelled, messageOf, storageError } from '../../core/errors';
import type { PlanNode, StatementResult } from '../../lazy/sql';
import { sql } from '../lazy';
import type { Ctx } from '../ctx';
import type { Answers } from '../prompts';
import { readSetting } from '../settings';
import { GridPanel } from '../webviews/gridPanel';
import type { Databases, OpenDb } from './databases';

/** A query document's database: its id (the URI, so it can be reopened) and its name. */
interface Binding { id: string; label: string }

/**
 * Query editors: SQL documents bound to one open database, each named after it
 * (`bookshop.db.sql`). The status bar names the database of the active query editor; the context
 * key lets Ctrl+Enter run it. When the database closes, its query tabs say so and offer Reopen.
 */
export class Queries implements vscode.Disposable {
  private readonly bound = new Map<string, Binding>(); // document URI -> database
  private readonly status: vscode.StatusBarItem;
  /** Marks query documents whose database was closed (an Information line on the first line). */
  private readonly notes: vscode.DiagnosticCollection;
  private readonly subs: vscode.Disposable[] = [];
  private running: OpenDb | undefined;

  constructor(private readonly ctx: Ctx, private readonly dbs: Databases) {
    this.status = vscode.window.createStatusBarItem('storageInspector.sqlQueryDb', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'SQL query database';
    this.notes = vscode.languages.createDiagnosticCollection('storageInspector.sqlQuery');
    this.subs.push(this.status, this.notes, vscode.window.onDidChangeActiveTextEditor(() => this.update()), dbs.onDidChange(() => this.onDatabasesChanged()),
      vscode.workspace.onDidCloseTextDocument((d) => { this.bound.delete(d.uri.toString()); this.notes.delete(d.uri); }));
    this.update();
  }

  /** Opens a new SQL editor bound to `db`, titled after it (`bookshop.db.sql`, then `bookshop.db (2).sql`). */
  async newQuery(db: OpenDb, text?: string): Promise<vscode.TextEditor> {
    const firstTable = db.schema?.tables.find((t) => t.kind === 'table')?.name;
    const content = text ?? `-- ${db.label}: Ctrl+Enter runs the statement under the cursor or the selection\nSELECT * FROM ${firstTable ? `"${firstTable.replace(/"/g, '""')}"` : 'sqlite_schema'} LIMIT 100;\n`;
    const doc = await openNamedQuery(db.label, content);
    this.bound.set(doc.uri.toString(), { id: db.id, label: db.label });
    this.notes.delete(doc.uri);
    const editor = await vscode.window.showTextDocument(doc);
    this.update();
    return editor;
  }

  dbOf(doc: vscode.TextDocument): OpenDb | undefined {
    const b = this.bound.get(doc.uri.toString());
    return b ? this.dbs.get(b.id) : undefined;
  }

  /** The database a query document was bound to, when that database is closed now. */
  closedOf(doc: vscode.TextDocument): Binding | undefined {
    const b = this.bound.get(doc.uri.toString());
    return b && !this.dbs.get(b.id) ? b : undefined;
  }

  /** A database closed (or came back): its query tabs say so, once per close. */
  private onDatabasesChanged(): void {
    const closed = new Map<string, { label: string; docs: vscode.Uri[] }>();
    for (const [uri, b] of this.bound) {
      const doc = vscode.Uri.parse(uri);
      if (this.dbs.get(b.id)) {
        this.notes.delete(doc);
        continue;
      }
      if (this.notes.has(doc)) continue;
      this.notes.set(doc, [closedNote(b.label)]);
      const entry = closed.get(b.id) ?? { label: b.label, docs: [] };
      entry.docs.push(doc);
      closed.set(b.id, entry);
    }
    for (const [id, { label, docs }] of closed) {
      const names = docs.map((d) => d.path.split('/').pop()).join(', ');
      void this.offerReopen(id, `${label} was closed. Its query tab${docs.length === 1 ? '' : 's'} ${names} cannot run until you reopen it.`, false);
    }
    this.update();
  }

  /** Says the database is closed, with a Reopen button that opens it again (and binds its tabs back); `answers.pick` presses it. */
  async offerReopen(id: string, message: string, asError = true, answers: Answers = {}): Promise<boolean> {
    const reopen = 'Reopen';
    const answer = answers.pick ?? (asError ? await vscode.window.showErrorMessage(message, reopen) : await vscode.window.showInformationMessage(message, reopen));
    if (answer !== reopen) return false;
    await vscode.commands.executeCommand('storageInspector.sql.openDatabase', vscode.Uri.parse(id));
    return true;
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    const db = editor ? this.dbOf(editor.document) : undefined;
    const closed = editor && !db ? this.closedOf(editor.document) : undefined;
    void vscode.commands.executeCommand('setContext', 'storageInspector.sqlQueryEditor', !!db || !!closed);
    if (closed) {
      this.status.text = `$(database) ${closed.label} (closed)`;
      this.status.tooltip = `${closed.label} is closed. Run the query to reopen it.`;
      this.status.command = 'storageInspector.sql.runQuery';
      this.status.show();
      return;
    }
    if (!db) {
      this.status.hide();
      return;
    }
    this.status.text = `$(database) ${db.label}${db.session.dirty ? ' ●' : ''}${this.running === db ? ' $(sync~spin) running' : ''}`;
    this.status.tooltip = `Queries in this editor run against ${db.uri.toString(true)}`;
    this.status.command = this.running === db ? 'storageInspector.sql.cancelQuery' : 'storageInspector.sql.runQuery';
    this.status.show();
  }

  /**
   * Runs the selection, or the statement under the cursor (`all` runs the whole document). When the
   * database was closed it says so and offers Reopen (`answers.pick: 'Reopen'` reopens and runs).
   */
  async run(editor: vscode.TextEditor, all = false, answers: Answers = {}): Promise<StatementResult[] | undefined> {
    const closed = this.closedOf(editor.document);
    if (closed) {
      const reopened = await this.offerReopen(closed.id, `${closed.label} is closed, so this query cannot run. Reopen it to run the query.`, true, answers);
      if (!reopened || !this.dbOf(editor.document)) return undefined;
    }
    const db = this.dbOf(editor.document);
    if (!db) throw this.unbound(editor.document);
    const doc = editor.document;
    const script = doc.getText();
    const args: { script: string; offset?: number; selection?: [number, number]; maxRows: number } = { script, maxRows: readSetting('sql.maxResultRows') };
    if (!all) {
      if (editor.selection.isEmpty) args.offset = doc.offsetAt(editor.selection.active);
      else args.selection = [doc.offsetAt(editor.selection.start), doc.offsetAt(editor.selection.end)];
    }
    if (db.readOnly && /\b(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|REPLACE|VACUUM)\b/i.test(script)) {
      this.ctx.log.warn(`${db.label} is read-only: changes made by queries cannot be saved.`);
    }
    const panel = GridPanel.results(this.ctx, this.dbs, db);
    this.running = db;
    this.update();
    try {
      const results = await db.session.call('run', args);
      panel.showResults(results);
      this.notes.delete(doc.uri);
      if (results.some((r) => r.changes > 0) || db.session.dirty) {
        await this.dbs.refresh(db);
        await GridPanel.refreshTables(db.id);
      }
      return results;
    } catch (e) {
      if (!isCancelled(e)) {
        const detail = (e as { detail?: { offset: number } }).detail;
        const failedSql = (e as { detail?: { statement?: string } }).detail?.statement;
        panel.showError(messageOf(e), failedSql ? { sql: failedSql } : {});
        if (detail) {
          const pos = doc.positionAt(detail.offset);
          editor.selection = new vscode.Selection(pos, pos);
          editor.revealRange(new vscode.Range(pos, pos));
        }
      }
      throw e;
    } finally {
      this.running = undefined;
      this.update();
    }
  }

  /** Ends the running query; the database reloads from its last saved state and keeps its unsaved edits. */
  async cancel(db?: OpenDb): Promise<boolean> {
    const target = db ?? this.running;
    if (!target) return false;
    // The engine restarts from the saved file and runs the unsaved edits again.
    const outcome = await target.session.cancel();
    if (outcome.lostChanges) {
      void vscode.window.showWarningMessage(`The query was cancelled and ${target.label} was reloaded from its last saved state, but its unsaved edits could not be kept: ${outcome.reason ?? 'they were not recorded'}`);
    } else if (outcome.replayed > 0) {
      this.ctx.log.info(`query on ${target.label} cancelled; ${outcome.replayed} unsaved edit(s) run again on the reloaded database`);
    }
    await this.dbs.refresh(target);
    await GridPanel.refreshTables(target.id);
    return true;
  }

  async explain(editor: vscode.TextEditor): Promise<PlanNode[]> {
    const db = this.dbOf(editor.document);
    if (!db) throw this.unbound(editor.document);
    const script = editor.document.getText();
    const at = editor.selection.isEmpty ? { offset: editor.document.offsetAt(editor.selection.active) } : undefined;
    const { pickStatements } = sql();
    const stmt = editor.selection.isEmpty ? pickStatements(script, at)[0] : { sql: editor.document.getText(editor.selection) };
    if (!stmt) throw storageError('BadInput', 'There is no statement to explain.');
    const nodes = await db.session.call('explain', { sql: stmt.sql });
    GridPanel.results(this.ctx, this.dbs, db).showPlan(stmt.sql, nodes);
    return nodes;
  }

  /** Why a query cannot run in this editor: its database is closed (say which), or it was never bound. */
  private unbound(doc: vscode.TextDocument): Error {
    const closed = this.closedOf(doc);
    if (closed) return storageError('Unavailable', `${closed.label} is closed, so this query cannot run. Reopen it (Reopen, or "Open SQLite Database...") and run the query again.`);
    return storageError('BadInput', 'This editor is not bound to a database. Use "New Query" on a database in the SQL view.');
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
  }
}

/** The Information line a query tab shows while its database is closed. */
export function closedNote(label: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `${label} is closed: queries here cannot run until you reopen it.`, vscode.DiagnosticSeverity.Information);
  d.source = 'Storage Inspector';
  return d;
}

/**
 * An untitled SQL document titled `<name>.sql` (or `<name> (2).sql` when that one is open), so the
 * tab says which database it belongs to and Save As suggests that name.
 */
export async function openNamedQuery(name: string, content: string): Promise<vscode.TextDocument> {
  const safe = name.replace(/[\\/]/g, '_');
  const taken = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
  let uri = vscode.Uri.from({ scheme: 'untitled', path: `${safe}.sql` });
  for (let n = 2; taken.has(uri.toString()); n++) uri = vscode.Uri.from({ scheme: 'untitled', path: `${safe} (${n}).sql` });
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, new vscode.Position(0, 0), content);
  await vscode.workspace.applyEdit(edit);
  return doc.languageId === 'sql' ? doc : vscode.languages.setTextDocumentLanguage(doc, 'sql');
}
