import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { LocalRoot } from '../../core/local/roots';
import { isTempName } from '../../core/local/tempNames';

export interface WatchTargets {
  /** Folders whose listing changed (an entry came or went, or its size or time changed). */
  onFolders(folders: Set<string>): void;
  /** Files created or changed (their badges, and any open decoded view, may be stale). */
  onFiles(files: vscode.Uri[]): void;
}

/**
 * One recursive watcher per root. Events are batched for `delayMs`, then each changed
 * folder is refreshed once, instead of rebuilding the tree per event.
 */
export class RootWatchers implements vscode.Disposable {
  private readonly watchers = new Map<string, vscode.Disposable>();
  private folders = new Set<string>();
  private files = new Map<string, vscode.Uri>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly targets: WatchTargets, private readonly delayMs = 200) {}

  /** Watches exactly these roots: new ones start, removed ones stop. */
  sync(roots: LocalRoot[]): void {
    const wanted = new Set(roots.map((r) => r.path));
    for (const [path, w] of this.watchers) {
      if (!wanted.has(path)) {
        w.dispose();
        this.watchers.delete(path);
      }
    }
    for (const path of wanted) {
      if (this.watchers.has(path)) continue;
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path), '**/*'));
      const onEvent = (uri: vscode.Uri, bytesChanged: boolean) => this.queue(uri, bytesChanged);
      // A save by rename (ours, or another editor's) shows up as a create, so creates count as changes.
      this.watchers.set(path, vscode.Disposable.from(w, w.onDidCreate((u) => onEvent(u, true)), w.onDidDelete((u) => onEvent(u, false)), w.onDidChange((u) => onEvent(u, true))));
    }
  }

  private queue(uri: vscode.Uri, bytesChanged: boolean): void {
    const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    if (isTempName(name)) return;
    this.folders.add(dirname(uri.fsPath));
    if (bytesChanged) this.files.set(uri.toString(), uri);
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  private flush(): void {
    this.timer = undefined;
    const folders = this.folders;
    const files = [...this.files.values()];
    this.folders = new Set();
    this.files = new Map();
    this.targets.onFolders(folders);
    this.targets.onFiles(files);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
  }
}
