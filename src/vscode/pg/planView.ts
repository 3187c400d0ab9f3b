import * as vscode from 'vscode';
import type { Plan } from '../../lazy/pg';
import type { Ctx } from '../ctx';
import { webviewHtml } from '../webviews/html';

/** What the plan webview (media/plan.js) gets: the parsed plan and what it was run on. */
export interface PlanMessage { type: 'plan'; title: string; sql: string; plan: Omit<Plan, 'json'>; json: string }

/**
 * The plan of one database's statements: EXPLAIN's node tree with relation and index, estimated
 * vs actual rows (10x misestimates marked), each node's share of the time (the slowest marked)
 * and its buffers. One panel per database, reused by the next Explain.
 */
export class PlanView implements vscode.Disposable {
  private static readonly views = new Map<string, PlanView>();
  readonly panel: vscode.WebviewPanel;
  private last: PlanMessage | undefined;
  private ready = false;
  private readonly subs: vscode.Disposable[] = [];

  private constructor(ctx: Ctx, readonly key: string, title: string) {
    this.panel = vscode.window.createWebviewPanel('storageInspector.pgPlan', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(ctx.context.extensionUri, 'media')],
    });
    this.panel.webview.html = webviewHtml(this.panel.webview, ctx.context.extensionUri, ['gridCells.js', 'plan.js'], 'plan.css', title);
    this.subs.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (typeof m !== 'object' || m === null || (m as { type?: unknown }).type !== 'ready') return;
        this.ready = true;
        if (this.last) void this.panel.webview.postMessage(this.last);
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Shows `plan` in the database's plan panel (made on first use). */
  static show(ctx: Ctx, key: string, label: string, sql: string, plan: Plan): PlanView {
    let v = PlanView.views.get(key);
    if (!v) {
      v = new PlanView(ctx, key, `Plan — ${label}`);
      PlanView.views.set(key, v);
    }
    const { json, ...rest } = plan;
    v.last = { type: 'plan', title: `${plan.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} — ${label}`, sql, plan: rest, json };
    if (v.ready) void v.panel.webview.postMessage(v.last);
    v.panel.reveal(vscode.ViewColumn.Beside, true);
    return v;
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    PlanView.views.delete(this.key);
    this.subs.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}
