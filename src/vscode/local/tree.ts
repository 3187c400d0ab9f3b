import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { listPage, type ListCursor } from '../../core/local/listing';
import type { LocalRoot } from '../../core/local/roots';
import { isContainer, type ContainerNode, type LocalNode } from './nodes';
import { renderNode } from './render';

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
    return renderNode(node);
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
