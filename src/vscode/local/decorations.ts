import * as vscode from 'vscode';
import { readHead } from '../../core/local/read';
import { sniff, type Sniffed } from '../../core/local/magic';
import type { LocalRoot } from '../../core/local/roots';

const BADGES: Record<Exclude<Sniffed, 'plain'>, { badge: string; tooltip: string }> = {
  gzip: { badge: 'gz', tooltip: 'gzip-compressed (opens decompressed)' },
  age: { badge: 'A', tooltip: 'age-encrypted (opens decrypted)' },
  'age-armor': { badge: 'A', tooltip: 'age-encrypted, ASCII armor (opens decrypted)' },
};

/**
 * Badges for gzip and age files inside the roots, found by their first bytes (not their
 * names), so a renamed or extension-less file is still marked.
 */
export class LocalDecorations implements vscode.FileDecorationProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changed.event;

  constructor(private readonly roots: () => LocalRoot[]) {}

  async provideFileDecoration(uri: vscode.Uri): Promise<vscode.FileDecoration | undefined> {
    if (uri.scheme !== 'file') return undefined;
    if (!this.roots().some((r) => uri.fsPath.startsWith(r.path + '/'))) return undefined;
    const head = await readHead(uri.fsPath, 64).catch(() => undefined);
    if (!head) return undefined;
    const kind = sniff(head);
    if (kind === 'plain') return undefined;
    const b = BADGES[kind];
    return new vscode.FileDecoration(b.badge, b.tooltip, new vscode.ThemeColor(kind === 'gzip' ? 'charts.blue' : 'charts.purple'));
  }

  /** Re-asks VS Code for these files' badges (after a change on disk). */
  update(uris: vscode.Uri[]): void {
    if (uris.length > 0) this.changed.fire(uris);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
