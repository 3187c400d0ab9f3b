import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import type { TreeNode } from '../../core/backup/model';
import { backup, ui } from '../lazy';
import { nodeId, type BackupNode, type MoreNode, type SnapshotNode } from './nodes';
import type { BackupRepositories } from './repositories';

/**
 * The Backups view: repositories, their snapshots (newest first), and each snapshot's trees,
 * read when a folder is expanded. A failing listing becomes an error row under its parent.
 * Each snapshot's size added is computed in the background after the snapshots are listed.
 * Long listings show a page at a time with a "Load more..." row, as the S3 view does; a restic
 * tree is read whole, so the rows are kept and only how many are shown grows.
 */
export class BackupTree implements vscode.TreeDataProvider<BackupNode> {
  private readonly emitter = new vscode.EventEmitter<BackupNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly children = new Map<string, BackupNode[]>();
  private readonly nodes = new Map<string, BackupNode>();
  /** Size added per `repoId/snapshotId`: snapshots never change, so this is kept. */
  private readonly added = new Map<string, number>();
  private readonly sizing = new Map<string, { ac: AbortController; done: Promise<void> }>();
  /** Rows shown per parent id past the first page; a refresh keeps them, so loaded pages stay. */
  private readonly shown = new Map<string, number>();

  constructor(
    private readonly repos: BackupRepositories,
    private readonly pageSize: () => number,
  ) {
    repos.onDidChange(() => this.refresh());
  }

  /** Forgets what was listed under the node (or everywhere) and lists again. */
  refresh(node?: BackupNode): void {
    if (node) {
      const id = nodeId(node);
      const path = id.replace(/^\w+:/, '');
      for (const k of [...this.children.keys()]) if (k.replace(/^\w+:/, '').startsWith(path)) this.children.delete(k);
      if (node.kind === 'backupRepo') this.repos.forget(node.repoId);
      // VS Code redraws the very element it holds; a node not shown (or not yet) redraws the whole view.
      this.emitter.fire(this.nodes.get(id));
      return;
    }
    this.children.clear();
    this.emitter.fire(undefined);
  }

  getTreeItem(n: BackupNode): vscode.TreeItem {
    const repoId = 'repoId' in n ? n.repoId : undefined;
    const repo = repoId ? this.repos.list().find((r) => r.id === repoId) : undefined;
    const added = n.kind === 'backupSnapshot' ? this.added.get(`${n.repoId}/${n.snapshotId}`) : undefined;
    return ui.backup().renderNode(n, repo, added);
  }

  getParent(): undefined {
    return undefined;
  }

  async getChildren(parent?: BackupNode): Promise<BackupNode[]> {
    if (!parent) return this.repos.list().map((r) => ({ kind: 'backupRepo', repoId: r.id }));
    const id = nodeId(parent);
    this.nodes.set(id, parent);
    let list = this.children.get(id);
    if (!list) {
      try {
        list = await this.list(parent);
      } catch (e) {
        return [{ kind: 'backupError', parentId: id, message: messageOf(e) }];
      }
      this.children.set(id, list);
    }
    const shown = this.shown.get(id) ?? Math.max(1, this.pageSize());
    if (list.length <= shown) return list;
    return [...list.slice(0, shown), { kind: 'backupMore', parentId: id, shown, total: list.length }];
  }

  /** The page size changed: every listing shows its first page again. */
  repage(): void {
    this.shown.clear();
    this.emitter.fire(undefined);
  }

  /** Shows the next page under the parent of a "Load more..." row. */
  loadMore(more: MoreNode): void {
    this.shown.set(more.parentId, more.shown + Math.max(1, this.pageSize()));
    this.emitter.fire(this.nodes.get(more.parentId));
  }

  /** The children of the node with this id, if it was shown (tests walk the tree by id). */
  known(id: string): BackupNode | undefined {
    return this.nodes.get(id);
  }

  retry(err: Extract<BackupNode, { kind: 'backupError' }>): void {
    const parent = this.nodes.get(err.parentId);
    this.children.delete(err.parentId);
    if (parent?.kind === 'backupRepo') this.repos.forget(parent.repoId);
    this.emitter.fire(parent);
  }

  private async list(parent: BackupNode): Promise<BackupNode[]> {
    switch (parent.kind) {
      case 'backupRepo': {
        const snaps = await this.repos.listSnapshots(parent.repoId);
        const nodes: SnapshotNode[] = snaps.map((s) => ({
          kind: 'backupSnapshot',
          repoId: parent.repoId,
          snapshotId: s.id,
          time: s.time,
          tree: s.tree,
          paths: s.paths,
          ...(s.hostname ? { hostname: s.hostname } : {}),
          ...(s.username ? { username: s.username } : {}),
          ...(s.tags?.length ? { tags: s.tags } : {}),
          ...(s.parent ? { parent: s.parent } : {}),
        }));
        this.computeSizes(parent.repoId, nodes);
        return nodes.reverse();
      }
      case 'backupSnapshot':
        return this.snapshotRoot(parent);
      case 'backupEntry':
        return parent.type === 'dir' && parent.subtree ? this.entries(parent.repoId, parent.snapshotId, parent.time, parent.subtree, parent.path) : [];
      default:
        return [];
    }
  }

  /**
   * A snapshot's top rows. The folders above what was backed up hold one folder each
   * (`/home/me/project`): they show as one row labelled with that path, as the description's paths read.
   */
  private async snapshotRoot(snap: SnapshotNode): Promise<BackupNode[]> {
    const repo = await this.repos.repository(snap.repoId);
    let prefix = '';
    let treeId = snap.tree;
    for (let depth = 0; depth < 64; depth++) {
      const nodes = (await repo.loadTree(treeId)).nodes ?? [];
      const only = nodes.length === 1 ? nodes[0] : undefined;
      if (!only || only.type !== 'dir' || !only.subtree) break;
      const path = `${prefix}/${only.name}`;
      // Stop at a chosen path, so it is a row of its own even when it holds one folder.
      if (snap.paths.includes(path)) break;
      prefix = path;
      treeId = only.subtree;
    }
    const rows = await this.entries(snap.repoId, snap.snapshotId, snap.time, treeId, prefix);
    return rows.map((r) => (r.kind === 'backupEntry' && prefix ? { ...r, label: r.path } : r));
  }

  private async entries(repoId: string, snapshotId: string, time: string, treeId: string, prefix: string): Promise<BackupNode[]> {
    const repo = await this.repos.repository(repoId);
    const tree = await repo.loadTree(treeId);
    const dirsFirst = (a: TreeNode, b: TreeNode) => Number(b.type === 'dir') - Number(a.type === 'dir') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    return [...(tree.nodes ?? [])].sort(dirsFirst).map((t) => ({
      kind: 'backupEntry',
      repoId,
      snapshotId,
      time,
      path: `${prefix}/${t.name}`,
      type: t.type,
      ...(t.subtree ? { subtree: t.subtree } : {}),
      ...(t.type === 'file' ? { size: t.size ?? 0 } : {}),
      ...(t.mtime ? { mtime: t.mtime } : {}),
      ...(t.mode !== undefined ? { mode: t.mode } : {}),
      ...(t.linktarget !== undefined ? { linktarget: t.linktarget } : {}),
    }));
  }

  /** Size added of each snapshot not yet known, in the background; each row is redrawn when its figure is in. */
  private computeSizes(repoId: string, nodes: SnapshotNode[]): void {
    if (nodes.every((n) => this.added.has(`${repoId}/${n.snapshotId}`))) return;
    this.sizing.get(repoId)?.ac.abort();
    const ac = new AbortController();
    const done = (async () => {
      const repo = await this.repos.repository(repoId);
      const snaps = await this.repos.listSnapshots(repoId);
      await backup().sizesAdded(repo, snaps, (id, bytes) => {
        this.added.set(`${repoId}/${id}`, bytes);
        const node = nodes.find((n) => n.snapshotId === id);
        if (node) this.emitter.fire(node);
      }, ac.signal);
    })()
      // the rows show no size; the listing itself reports what is wrong
      .catch(() => undefined)
      .finally(() => {
        if (this.sizing.get(repoId)?.ac === ac) this.sizing.delete(repoId);
      });
    this.sizing.set(repoId, { ac, done });
  }

  /** Resolves when the sizes being computed for a repository are in (tests wait on this, not on time). */
  async sizesSettled(repoId: string): Promise<void> {
    await this.sizing.get(repoId)?.done;
  }

  dispose(): void {
    for (const s of this.sizing.values()) s.ac.abort();
    this.emitter.dispose();
  }
}
