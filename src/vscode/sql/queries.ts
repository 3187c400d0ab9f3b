import * as vscode from 'vscode';
import { isCancelled, messageOf, storageError } from '../../core/errors';
import type { PlanNode, StatementResult } from '../../lazy/sql';
import { sql } from '../lazy';
import type { Ctx } from '../ctx';
import { GridPanel } from '../webviews/gridPanel';
import type { Databases, OpenDb } from './databases';

/**
 * Query editors: SQL documents bound to one open database. The status bar names the database of
 * the active query editor; the context key lets Ctrl+Enter run it.
 */
export class Queries implements vscode.Disposable {
  private readonly bound = new Map<string, string>(); // document URI -> database id
  private readonly status: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];
  private running: OpenDb | undefined;

  constructor(private readonly ctx: Ctx, private readonly dbs: Databases) {
    this.status = vscode.window.createStatusBarItem('storageInspector.sqlQueryDb', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'SQL query database';
    this.subs.push(this.status, vscode.window.onDidChangeActiveTextEditor(() => this.update()), dbs.onDidChange(() => this.update()));
    this.update();
  }

  /** Opens a new SQL editor bound to `db`. */
  async newQuery(db: OpenDb, text?: string): Promise<vscode.TextEditor> {
    const firstTable = db.schema?.tables.find((t) => t.kind === 'table')?.name;
    const content = text ?? `-- ${db.label}: Ctrl+Enter runs the statement under the cursor or the selection\nSELECT * FROM ${firstTable ? `"${firstTable.replace(/"/g, '""')}"` : 'sqlite_schema'} LIMIT 100;\n`;
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content });
    this.bound.set(doc.uri.toString(), db.id);
    const editor = await vscode.window.showTextDocument(doc);
    this.update();
    return editor;
  }

  dbOf(doc: vscode.TextDocument): OpenDb | undefined {
    const id = this.bound.get(doc.uri.toString());
    return id ? this.dbs.get(id) : undefined;
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    const db = editor ? this.dbOf(editor.document) : undefined;
    void vscode.commands.executeCommand('setContext', 'storageInspector.sqlQueryEditor', !!db);
    if (!db) {
      this.status.hide();
      return;
    }
    this.status.text = `$(database) ${db.label}${db.session.dirty ? ' ●' : ''}${this.running === db ? ' $(sync~spin) running' : ''}`;
    this.status.tooltip = `Queries in this editor run against ${db.uri.toString(true)}`;
    this.status.command = this.running === db ? 'storageInspector.sql.cancelQuery' : 'storageInspector.sql.runQuery';
    this.status.show();
  }

  /** Runs the selection, or the statement under the cursor (`all` runs the whole document). */
  async run(editor: vscode.TextEditor, all = false): Promise<StatementResult[]> {
    const db = this.dbOf(editor.document);
    if (!db) throw storageError('BadInput', 'This editor is not bound to a database. Use "New Query" on a database in the SQL view.');
    const doc = editor.document;
    const script = doc.getText();
    const args: { script: string; offset?: number; selection?: [number, number]; maxRows: number } = { script, maxRows: this.ctx.settings.get<number>('sql.maxResultRows', 1000) };
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
      if (results.some((r) => r.changes > 0) || db.session.dirty) {
        await this.dbs.refresh(db);
        await GridPanel.refreshTables(db.id);
      }
      return results;
    } catch (e) {
      if (!isCancelled(e)) {
        panel.showError(messageOf(e));
        const detail = (e as { detail?: { offset: number } }).detail;
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
    if (!db) throw storageError('BadInput', 'This editor is not bound to a database. Use "New Query" on a database in the SQL view.');
    const script = editor.document.getText();
    const at = editor.selection.isEmpty ? { offset: editor.document.offsetAt(editor.selection.active) } : undefined;
    const { pickStatements } = sql();
    const stmt = editor.selection.isEmpty ? pickStatements(script, at)[0] : { sql: editor.document.getText(editor.selection) };
    if (!stmt) throw storageError('BadInput', 'There is no statement to explain.');
    const nodes = await db.session.call('explain', { sql: stmt.sql });
    GridPanel.results(this.ctx, this.dbs, db).showPlan(stmt.sql, nodes);
    return nodes;
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
  }
}
