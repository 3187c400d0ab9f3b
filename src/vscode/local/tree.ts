import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import type { ListCursor } from '../../core/local/listing';
import type { LocalRoot } from '../../core/local/roots';
import { isContainer, type ContainerNode, type LocalNode } from './nodes';
import { ui } from '../lazy';

interface Page {
  children: LocalNode[];
  next?: ListCursor;
}

interface Listed extends Page {
  /** How many pages are shown: a change on disk re-lists as many, so "Load more" pages stay. */
  pages: number;
}

/**
 * Roots -> folders -> files. Each folder keeps the pages listed so far; a watcher event
 * re-lists only that folder, as many pages as were loaded, and redraws only its node.
 */
export class LocalTreeProvider implements vscode.TreeDataProvider<LocalNode> {
  private readonly changed = new vscode.EventEmitter<LocalNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly listed = new Map<string, Listed>();
  /** Folder nodes by path, so a refresh can name the very object VS Code holds. */
  private readonly containers = new Map<string, ContainerNode>();
  private rootNodes: ContainerNode[] = [];
  /** Folders the user expanded: a redraw after a change on disk keeps them open. */
  private readonly expanded = new Set<string>();

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
    // The renderer loads with the area's handlers, on the first row shown.
    const item = ui.local().renderNode(node);
    if (isContainer(node) && this.expanded.has(node.path)) item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    return item;
  }

  /** Follows the view's expand / collapse, so a redraw never folds a folder the user opened. */
  trackExpansion(view: vscode.TreeView<LocalNode>): vscode.Disposable {
    return vscode.Disposable.from(
      view.onDidExpandElement((e) => {
        if (isContainer(e.element)) this.expanded.add(e.element.path);
      }),
      view.onDidCollapseElement((e) => {
        if (isContainer(e.element)) this.expanded.delete(e.element.path);
      }),
    );
  }

  /** Whether the user has this folder expanded (for tests). */
  isExpanded(path: string): boolean {
    return this.expanded.has(path);
  }

  /** Appends the next page under the folder of a "Load more..." row. */
  async loadMore(node: Extract<LocalNode, { kind: 'more' }>): Promise<void> {
    const parent = this.containers.get(node.parentPath);
    const listed = this.listed.get(node.parentPath);
    if (!parent || !listed) return;
    const page = await this.page(parent, node.cursor);
    listed.children = [...listed.children.filter((c) => c !== node && c.kind !== 'more'), ...page.children];
    listed.next = page.next;
    listed.pages++;
    if (page.next) listed.children.push({ kind: 'more', rootId: parent.rootId, parentPath: parent.path, cursor: page.next });
    this.changed.fire(parent);
  }

  /** Re-lists these folders in place (keeping their loaded pages), or forgets everything when undefined. */
  refresh(folders?: Iterable<string>): void {
    if (!folders) {
      // Folder nodes stay: VS Code still holds them, and they are re-filled on the next expand.
      this.listed.clear();
      this.changed.fire(undefined);
      return;
    }
    for (const f of folders) void this.relist(f);
  }

  private async relist(path: string): Promise<void> {
    const node = this.containers.get(path);
    if (!node || !this.listed.has(path)) return;
    let page = await this.page(node);
    const children = [...page.children];
    let pages = 1;
    // Reads the count each time: a "Load more" meanwhile asks for one page more.
    while (page.next && pages < (this.listed.get(path)?.pages ?? 1)) {
      page = await this.page(node, page.next);
      children.push(...page.children);
      pages++;
    }
    if (page.next) children.push({ kind: 'more', rootId: node.rootId, parentPath: node.path, cursor: page.next });
    this.listed.set(path, { children, pages, ...(page.next ? { next: page.next } : {}) });
    this.changed.fire(node);
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
    this.listed.set(node.path, { children, pages: 1, ...(page.next ? { next: page.next } : {}) });
    return children;
  }

  private async page(node: ContainerNode, cursor?: ListCursor): Promise<Page> {
    try {
      // The listing code builds an ICU collator as it loads (~30 ms here), so it loads on the first listing.
      const page = await ui.local().listPage(node.path, cursor ? { pageSize: this.pageSize(), cursor } : { pageSize: this.pageSize() });
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
