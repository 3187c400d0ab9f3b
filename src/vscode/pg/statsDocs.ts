import * as vscode from 'vscode';

export const STATS_SCHEME = 'storage-pg-stats';

/**
 * The statistics documents: read-only Markdown made by "Show Statistics", kept until the
 * extension stops (each run is a new document), shown in the Markdown preview. They hold figures and names, never a secret.
 */
export class StatsDocs implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private made = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '# Statistics\n\nThese figures are gone (the window was reloaded). Run "Show Statistics" again.';
  }

  /** Stores a new document (a URI is never reused, so its text never changes) and returns its URI. */
  put(title: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: STATS_SCHEME, path: `/${title.replace(/[\\/?#]+/g, '_')}.md`, query: String(++this.made) });
    this.texts.set(uri.toString(), text);
    return uri;
  }
}
