import * as vscode from 'vscode';
import type { BulkReport } from '../../core/s3/bulk';
import type { Ctx } from '../ctx';
import { s3 } from '../lazy';
import { offer } from '../prompts';

/** Read-only documents that hold bulk reports, so a report outlives its notification. */
export const REPORT_SCHEME = 'storage-report';

const reports = new Map<string, string>();
let registered = false;
let counter = 0;

function ensureProvider(ctx: Ctx): void {
  if (registered) return;
  registered = true;
  ctx.subscribe(
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, {
      provideTextDocumentContent: (uri) => reports.get(uri.path) ?? 'This report is gone (reports last until the window reloads). Run the operation again for a new one.\n',
    }),
  );
}

/** Keeps a report and returns the URI of its read-only document. */
export function keepReport(ctx: Ctx, r: BulkReport): vscode.Uri {
  ensureProvider(ctx);
  const stamp = new Date().toISOString().slice(0, 19).replace('T', ' ').replace(/:/g, '.');
  const path = `/${r.action} report ${++counter} (${stamp.slice(11)}).md`;
  reports.set(path, s3().reportText(r));
  return vscode.Uri.from({ scheme: REPORT_SCHEME, path });
}

/** Opens a kept report beside the editor. */
export async function showReport(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** One line for the toast: what changed, and how many failed. */
export function summary(r: BulkReport, noun: string): string {
  const parts = [`${r.action === 'Delete' ? 'Deleted' : r.action === 'Copy' ? 'Copied' : `${r.action}ed`} ${s3().doneCount(r)} of ${r.total} ${noun}`];
  const conflicts = r.failed.filter((f) => f.code === 'Conflict').length;
  if (r.failed.length > conflicts) parts.push(`${r.failed.length - conflicts} failed`);
  if (conflicts) parts.push(`${conflicts} kept (changed by another program meanwhile)`);
  if (r.skipped.length) parts.push(`${r.skipped.length} skipped`);
  if (r.cancelled) parts.push('cancelled before the rest');
  return `${parts.join(', ')} (${r.target}).`;
}

/**
 * The end of every bulk command: a toast that says what changed, with "Show Report" (a warning
 * when something failed). It is not awaited: a toast waits for a click that may never come.
 */
export function announce(ctx: Ctx, r: BulkReport, noun: string): vscode.Uri {
  const uri = keepReport(ctx, r);
  const text = summary(r, noun);
  ctx.log.info(text);
  void offer(r.failed.length || r.cancelled ? 'warning' : 'info', text, [{ title: 'Show Report', run: () => showReport(uri) }]);
  return uri;
}
