import * as vscode from 'vscode';
import type { VersionsCursor } from '../../core/s3/types';
import { messageOf } from '../../core/errors';
import type { S3Connections } from './connections';
import { nodeId, parentOf, type S3ContainerNode, type S3Node, type S3RowNode } from './nodes';
import { s3, ui } from '../lazy';

interface Listing {
  items: S3Node[];
  next?: string | VersionsCursor;
  /** How many pages are loaded: a change re-lists as many, so "Load more" pages stay. */
  pages: number;
}

/** Where a change happened: an object, a folder (`key` without the slash), or a bucket (`key` ''). */
export interface S3Change {
  connectionId: string;
  bucket: string;
  key: string;
}

/**
 * The S3 view. Pages are cached per parent so "Load more..." appends; a failing listing
 * becomes an error row under its parent and the rest of the tree stays.
 */
export class S3Tree implements vscode.TreeDataProvider<S3Node> {
  private readonly emitter = new vscode.EventEmitter<S3Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly pages = new Map<string, Listing>();
  private readonly nodes = new Map<string, S3Node>();
  /** Prefix filters per bucket node id. */
  readonly filters = new Map<string, string>();
  showDeleted = false;

  /** Ids of the nodes redrawn since the last takeRedrawn(): tests check that a change redraws one node. */
  private redrawn: string[] = [];
  private readonly reloading = new Map<string, Promise<void>>();

  constructor(
    private readonly connections: S3Connections,
    private readonly pageSize: () => number,
  ) {
    connections.onDidChange(() => this.refresh());
  }

  private redraw(node: S3Node | undefined): void {
    this.redrawn.push(node ? nodeId(node) : 'root');
    this.emitter.fire(node);
  }

  takeRedrawn(): string[] {
    return this.redrawn.splice(0, this.redrawn.length);
  }

  /**
   * Something at `change` was written, deleted or restored: re-lists only the nearest listed
   * folder (or bucket) that shows it, with as many pages as were loaded, and drops the
   * versions listed below it.
   */
  async changed(change: S3Change): Promise<void> {
    this.forget(`o:${change.connectionId}/${change.bucket}/${change.key}`);
    const parts = change.key.split('/').slice(0, -1);
    for (let n = parts.length; n > 0; n--) {
      const id = `p:${change.connectionId}/${change.bucket}/${parts.slice(0, n).join('/')}/`;
      if (this.pages.has(id)) return this.reload(id);
    }
    const bucketId = `b:${change.connectionId}/${change.bucket}`;
    if (this.pages.has(bucketId)) return this.reload(bucketId);
  }

  /** A bucket was created, deleted or its versioning changed: re-lists its connection's buckets. */
  async bucketChanged(connectionId: string, bucket: string): Promise<void> {
    // Its objects' rows depend on its versioning, so they are listed afresh on the next expand.
    this.forget(`b:${connectionId}/${bucket}`);
    await this.reload(`c:${connectionId}`);
  }

  /** One re-listing per node at a time: the file system's change event and the command share it. */
  private reload(id: string): Promise<void> {
    let running = this.reloading.get(id);
    if (!running) {
      running = this.relist(id).finally(() => this.reloading.delete(id));
      this.reloading.set(id, running);
    }
    return running;
  }

  private async relist(id: string): Promise<void> {
    const parent = this.nodes.get(id);
    const old = this.pages.get(id);
    if (!parent || !old) return;
    try {
      let listing = await this.page(parent, undefined);
      while (listing.pages < old.pages && listing.next !== undefined) {
        const more = await this.page(parent, listing.next);
        listing = { items: [...listing.items, ...more.items], pages: listing.pages + 1, ...(more.next !== undefined ? { next: more.next } : {}) };
      }
      this.pages.set(id, listing);
    } catch {
      // The next getChildren lists again and shows the failure as an error row.
      this.pages.delete(id);
    }
    this.redraw(parent);
  }

  /** What "Refresh" does: forgets what was listed under the node (or everywhere) and lists again. */
  refresh(node?: S3Node): void {
    if (node) this.forget(nodeId(node));
    else this.pages.clear();
    this.redraw(node);
  }

  /** Drops the cached pages of a node and of everything below it. */
  private forget(id: string): void {
    const path = id.replace(/^\w+:/, '');
    for (const k of [...this.pages.keys()]) if (k.replace(/^\w+:/, '').startsWith(path)) this.pages.delete(k);
  }

  getTreeItem(n: S3Node): vscode.TreeItem {
    return ui.s3().renderNode(n, this.connections);
  }

  /** Fills an object's tooltip from a HEAD only when the user hovers it. */
  async resolveTreeItem(item: vscode.TreeItem, n: S3Node): Promise<vscode.TreeItem> {
    if (n.kind !== 's3Object' || n.deleted) return item;
    try {
      const client = await this.connections.client(n.connectionId);
      item.tooltip = ui.s3().objectTooltip(n.key, await s3().headObject(client, { bucket: n.bucket, key: n.key }));
    } catch (e) {
      item.tooltip = messageOf(e);
    }
    return item;
  }

  /** Lets "Reveal" expand the rows above a node. */
  getParent(n: S3Node): S3Node | undefined {
    return parentOf(n);
  }

  async getChildren(parent?: S3Node): Promise<S3Node[]> {
    if (!parent) return this.connections.list().map((c) => ({ kind: 's3Connection', connectionId: c.id }));
    const id = nodeId(parent);
    let listing = this.pages.get(id);
    if (!listing) {
      try {
        listing = await this.firstPage(parent);
      } catch (e) {
        return [{ kind: 's3Error', parentId: id, message: messageOf(e) }];
      }
      this.pages.set(id, listing);
    }
    // The latest object VS Code holds for this id: a redraw must name that very object.
    this.nodes.set(id, parent);
    return listing.next === undefined ? listing.items : [...listing.items, { kind: 's3LoadMore', parentId: id, token: listing.next }];
  }

  /** Fetches the next page for a "Load more..." node and appends it. */
  async loadMore(more: Extract<S3Node, { kind: 's3LoadMore' }>): Promise<void> {
    const parent = this.nodes.get(more.parentId);
    const listing = this.pages.get(more.parentId);
    if (!parent || !listing) return;
    await this.appendPage(parent, listing, more.token);
    this.redraw(parent);
  }

  private async appendPage(parent: S3Node, listing: Listing, token: string | VersionsCursor): Promise<void> {
    const page = await this.page(parent, token);
    listing.items.push(...page.items);
    listing.next = page.next;
    listing.pages++;
  }

  /**
   * Lists the rows above `n` as a user expanding them would, each level page after page until
   * the next row down is listed, so "Reveal" finds it. The row as listed, or undefined when a
   * level does not list it (it is gone, or a prefix filter or "Show Deleted" hides it).
   */
  async listDownTo(n: S3RowNode): Promise<S3Node | undefined> {
    const path: S3Node[] = [n];
    for (let p = parentOf(n); p; p = parentOf(p)) path.unshift(p);
    if (!this.connections.list().some((c) => c.id === n.connectionId)) return undefined;
    let parent = path[0]!;
    for (const want of path.slice(1)) {
      const found = await this.pageUntil(parent, nodeId(want));
      if (!found) return undefined;
      parent = found;
    }
    return parent;
  }

  private async pageUntil(parent: S3Node, id: string): Promise<S3Node | undefined> {
    const parentId = nodeId(parent);
    let listing = this.pages.get(parentId);
    if (!listing) {
      listing = await this.firstPage(parent);
      this.pages.set(parentId, listing);
    }
    const before = listing.pages;
    let found: S3Node | undefined;
    while (!(found = listing.items.find((i) => nodeId(i) === id)) && listing.next !== undefined) await this.appendPage(parent, listing, listing.next);
    if (listing.pages > before) {
      // VS Code keeps the rows it was given until told, so it would not find the new one. It holds
      // the row as a listing gave it, or as it last asked for its children (a redraw of an object
      // it does not hold does nothing).
      const asked = this.nodes.get(parentId);
      this.redraw(parent);
      if (asked && asked !== parent) this.emitter.fire(asked);
    }
    return found;
  }

  /** Retries the listing of the parent of an error row. */
  retry(err: Extract<S3Node, { kind: 's3Error' }>): void {
    const parent = this.nodes.get(err.parentId);
    this.pages.delete(err.parentId);
    this.redraw(parent);
  }

  private firstPage(parent: S3Node): Promise<Listing> {
    return this.page(parent, undefined);
  }

  private async page(parent: S3Node, token: string | VersionsCursor | undefined): Promise<Listing> {
    switch (parent.kind) {
      case 's3Connection': {
        const client = await this.connections.client(parent.connectionId);
        const buckets = await s3().listBuckets(client);
        // Versioning status per bucket, fetched together; one failing bucket does not hide the others.
        const status = await Promise.all(buckets.map((b) => s3().getVersioning(client, b.name).catch(() => undefined)));
        return { items: buckets.map((b, i) => ({ kind: 's3Bucket', connectionId: parent.connectionId, bucket: b.name, ...(status[i] ? { versioning: status[i] } : {}) })), pages: 1 };
      }
      case 's3Bucket':
      case 's3Prefix':
        return this.listContainer(parent, token);
      case 's3Object': {
        const client = await this.connections.client(parent.connectionId);
        const kv = await s3().listKeyVersions(client, parent.bucket, parent.key);
        return {
          items: kv.versions.map((v) => ({
            kind: 's3Version',
            connectionId: parent.connectionId,
            bucket: parent.bucket,
            key: parent.key,
            versionId: v.versionId,
            isLatest: v.isLatest,
            isDeleteMarker: v.isDeleteMarker,
            size: v.size,
            ...(v.lastModified ? { lastModified: v.lastModified.toISOString() } : {}),
          })),
          pages: 1,
        };
      }
      default:
        return { items: [], pages: 1 };
    }
  }

  private async listContainer(parent: S3ContainerNode, token: string | VersionsCursor | undefined): Promise<Listing> {
    const client = await this.connections.client(parent.connectionId);
    const versioned = parent.kind === 's3Bucket' ? parent.versioning === 'Enabled' || parent.versioning === 'Suspended' : parent.versioned;
    const prefix = parent.kind === 's3Prefix' ? parent.prefix : (this.filters.get(nodeId(parent)) ?? '');
    const base = { connectionId: parent.connectionId, bucket: parent.bucket };
    if (versioned && this.showDeleted) {
      const page = await s3().listVersionsPage(client, { bucket: parent.bucket, prefix, maxKeys: this.pageSize(), ...(typeof token === 'object' ? { cursor: token } : {}) });
      const items: S3Node[] = page.prefixes.map((p) => ({ kind: 's3Prefix', ...base, prefix: p, versioned }));
      for (const k of page.keys) {
        const latest = k.versions.find((v) => v.isLatest) ?? k.versions[0];
        items.push({ kind: 's3Object', ...base, key: k.key, versioned, deleted: k.deleted, size: latest?.size ?? 0, ...(latest?.lastModified ? { lastModified: latest.lastModified.toISOString() } : {}) });
      }
      return { items, pages: 1, ...(page.next ? { next: page.next } : {}) };
    }
    const page = await s3().listPage(client, { bucket: parent.bucket, prefix, maxKeys: this.pageSize(), ...(typeof token === 'string' ? { continuationToken: token } : {}) });
    const items: S3Node[] = page.prefixes.map((p) => ({ kind: 's3Prefix', ...base, prefix: p, versioned }));
    for (const o of page.objects) {
      if (o.key === prefix && o.key.endsWith('/')) continue; // the folder placeholder itself
      items.push({
        kind: 's3Object',
        ...base,
        key: o.key,
        versioned,
        size: o.size,
        ...(o.lastModified ? { lastModified: o.lastModified.toISOString() } : {}),
        ...(o.etag ? { etag: o.etag } : {}),
        ...(o.storageClass ? { storageClass: o.storageClass } : {}),
      });
    }
    return { items, pages: 1, ...(page.nextToken ? { next: page.nextToken } : {}) };
  }

}
