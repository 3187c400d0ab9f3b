import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { listPage, type ListCursor } from '../../core/local/listing';
import { formatBytes } from '../../core/local/limits';
import type { LocalRoot } from '../../core/local/roots';
import { ContextValue } from '../contextValues';
import { layersFromName } from '../../core/names';
import { isContainer, type ContainerNode, type LocalNode } from './localNodes';

interface Listed {
  children: LocalNode[];
  next?: ListCursor;
}

/**
 * Roots -> folders -> files. Each folder keeps the pages listed so far; a watcher event
 * drops only that folder's pages and refreshes only its node.
 */
export class LocalTreeProvider implements vscode.TreeDataProvider<LocalNode> {
  private readonly changed = new vscode.EventEmitter<LocalNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly listed = new Map<string, Listed>();
  /** Folder nodes by path, so a refresh can name the very object VS Code holds. */
  private readonly containers = new Map<string, ContainerNode>();
  private rootNodes: ContainerNode[] = [];

  constructor(
    private readonly roots: () => LocalRoot[],
    private readonly pageSize: () => number,
  ) {}

  dispose(): void {
    this.changed.dispose();
  }

  getChildren(node?: LocalNode): Promise<LocalNode[]> | LocalNode[] {
    if (!node) {
      this.rootNodes = this.roots().map((r) => this.keep({ kind: 'root', rootId: r.id, path: r.path, name: r.name }));
      return this.rootNodes;
    }
    if (!isContainer(node)) return [];
    return this.childrenOf(node);
  }

  getParent(node: LocalNode): LocalNode | undefined {
    const parent = node.kind === 'more' || node.kind === 'error' ? node.parentPath : node.kind === 'root' ? undefined : node.path.replace(/\/[^/]*$/, '');
    return parent === undefined ? undefined : this.containers.get(parent);
  }

  getTreeItem(node: LocalNode): vscode.TreeItem {
    switch (node.kind) {
      case 'root': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `root:${node.rootId}`;
        item.description = node.path;
        item.iconPath = new vscode.ThemeIcon('root-folder');
        item.resourceUri = vscode.Uri.file(node.path);
        item.contextValue = ContextValue.localRoot;
        item.tooltip = new vscode.MarkdownString(`**${node.name}**\n\n\`${node.path}\``);
        return item;
      }
      case 'folder': {
        const item = new vscode.TreeItem(node.entry.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.rootId}:${node.path}`;
        item.resourceUri = vscode.Uri.file(node.path);
        item.iconPath = vscode.ThemeIcon.Folder;
        item.contextValue = ContextValue.localFolder;
        item.description = modified(node.entry.mtimeMs);
        item.tooltip = tooltip(node.entry.name, node.path, node.entry);
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(node.entry.name, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.rootId}:${node.path}`;
        item.resourceUri = vscode.Uri.file(node.path);
        item.iconPath = vscode.ThemeIcon.File;
        item.contextValue = fileContext(node.entry.name);
        item.description = `${formatBytes(node.entry.size)} · ${modified(node.entry.mtimeMs)}`;
        item.tooltip = tooltip(node.entry.name, node.path, node.entry);
        item.command = { command: 'storageInspector.local.open', title: 'Open', arguments: [node] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem('Load more...', vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = ContextValue.loadMore;
        item.command = { command: 'storageInspector.local.loadMore', title: 'Load more', arguments: [node] };
        return item;
      }
      case 'error': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.contextValue = ContextValue.errorRow;
        item.tooltip = node.message;
        return item;
      }
    }
  }

  /** Appends the next page under the folder of a "Load more..." row. */
  async loadMore(node: Extract<LocalNode, { kind: 'more' }>): Promise<void> {
    const parent = this.containers.get(node.parentPath);
    const listed = this.listed.get(node.parentPath);
    if (!parent || !listed) return;
    const page = await this.page(parent, node.cursor);
    listed.children = [...listed.children.filter((c) => c !== node && c.kind !== 'more'), ...page.children];
    listed.next = page.next;
    if (page.next) listed.children.push({ kind: 'more', rootId: parent.rootId, parentPath: parent.path, cursor: page.next });
    this.changed.fire(parent);
  }

  /** Forgets what was listed under these folders and redraws only them (or all when undefined). */
  refresh(folders?: Iterable<string>): void {
    if (!folders) {
      // Folder nodes stay: VS Code still holds them, and they are re-filled on the next expand.
      this.listed.clear();
      this.changed.fire(undefined);
      return;
    }
    for (const f of folders) {
      if (!this.listed.delete(f)) continue;
      const node = this.containers.get(f);
      this.changed.fire(node);
    }
  }

  /** The children of a root or folder already shown, by path (undefined: the roots). */
  async childrenAt(path?: string): Promise<LocalNode[]> {
    if (path === undefined) return this.getChildren();
    const node = this.containers.get(path);
    if (!node) throw new Error(`${path} has not been shown in the Local view yet. Expand its parent first.`);
    return this.childrenOf(node);
  }

  /** Folders whose children are on screen (the watcher refreshes only these). */
  isListed(folder: string): boolean {
    return this.listed.has(folder);
  }

  private async childrenOf(node: ContainerNode): Promise<LocalNode[]> {
    const cached = this.listed.get(node.path);
    if (cached) return cached.children;
    const page = await this.page(node);
    const children = [...page.children];
    if (page.next) children.push({ kind: 'more', rootId: node.rootId, parentPath: node.path, cursor: page.next });
    this.listed.set(node.path, { children, ...(page.next ? { next: page.next } : {}) });
    return children;
  }

  private async page(node: ContainerNode, cursor?: ListCursor): Promise<Listed> {
    try {
      const page = await listPage(node.path, cursor ? { pageSize: this.pageSize(), cursor } : { pageSize: this.pageSize() });
      const children: LocalNode[] = page.entries.map((entry) =>
        entry.kind === 'folder'
          ? this.keep({ kind: 'folder', rootId: node.rootId, path: entry.path, entry })
          : entry.kind === 'error'
            ? { kind: 'error', rootId: node.rootId, parentPath: node.path, message: `${entry.name}: ${entry.error ?? 'unreadable'}` }
            : { kind: 'file', rootId: node.rootId, path: entry.path, entry },
      );
      return page.next ? { children, next: page.next } : { children };
    } catch (e) {
      // A failing folder becomes one error row; the rest of the tree still shows.
      return { children: [{ kind: 'error', rootId: node.rootId, parentPath: node.path, message: messageOf(e) }] };
    }
  }

  private keep<T extends ContainerNode>(n: T): T {
    const old = this.containers.get(n.path);
    if (old && old.kind === n.kind) {
      Object.assign(old, n);
      return old as T;
    }
    this.containers.set(n.path, n);
    return n;
  }
}

function fileContext(name: string): string {
  if (name === 'SHA256SUMS' || name === 'B3SUMS') return `${ContextValue.localFile}.manifest`;
  const kinds = layersFromName(name).map((l) => l.kind);
  return kinds.length > 0 ? `${ContextValue.localFile}.${kinds.join('.')}` : ContextValue.localFile;
}

/** Short enough to leave room for the badge: a time today, a day this year, else the date. */
export function modified(ms: number, now = new Date()): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d.toDateString() === now.toDateString()) return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.getFullYear() === now.getFullYear()) return d.toLocaleDateString('en', { month: 'short', day: 'numeric' });
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function tooltip(name: string, path: string, e: { size: number; mtimeMs: number; mode: number; symlink?: boolean }): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escapeMd(name)}**\n\n`);
  md.appendMarkdown(`| | |\n|---|---|\n`);
  md.appendMarkdown(`| Path | \`${path.replace(/`/g, "'")}\` |\n`);
  md.appendMarkdown(`| Size | ${formatBytes(e.size)} (${e.size.toLocaleString()} bytes) |\n`);
  md.appendMarkdown(`| Modified | ${new Date(e.mtimeMs).toISOString()} |\n`);
  md.appendMarkdown(`| Mode | ${(e.mode & 0o7777).toString(8).padStart(4, '0')}${e.symlink ? ' (symbolic link)' : ''} |\n`);
  return md;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
