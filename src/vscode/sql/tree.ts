import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import type { Schema } from '../../lazy/sql';
import type { Databases } from './databases';
import { discoverDatabases } from './discover';
import type { SqlNode } from './nodes';
import { ui } from '../lazy';

/**
 * Another area's nodes in this view, listed after the SQLite ones; the guest lists and renders its
 * own nodes (PostgreSQL connections: src/vscode/pg/tree.ts, set by pg/register.ts).
 */
export interface SqlViewGuest {
  owns(node: object): boolean;
  getChildren(node?: object): Promise<object[]>;
  getTreeItem(node: object): vscode.TreeItem;
  readonly onDidChangeTreeData: vscode.Event<object | undefined>;
}

/** Open databases first, then the workspace's other SQLite files (opened on click). */
export class SqlTree implements vscode.TreeDataProvider<SqlNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SqlNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private discovered: vscode.Uri[] | undefined;
  private readonly subs: vscode.Disposable[] = [];
  /** Called when the root lists at least one database file that is not open yet. */
  onDidListDatabases: (() => void) | undefined;

  /** The database nodes VS Code holds, so a change to one database redraws only its node. */
  private readonly dbNodes = new Map<string, SqlNode>();
  /** Ids redrawn since the last takeRedrawn() ('root' for the whole view): tests check one change, one redraw. */
  private redrawn: string[] = [];

  /** Made on first use, so activation does not build the guest's services. */
  guest: (() => SqlViewGuest) | undefined;
  private guestSub: vscode.Disposable | undefined;

  private guestTree(): SqlViewGuest | undefined {
    const g = this.guest?.();
    if (g && !this.guestSub) {
      this.guestSub = g.onDidChangeTreeData((n) => {
        this.redrawn.push(n ? 'guest' : 'root');
        this.changed.fire(n as SqlNode | undefined);
      });
    }
    return g;
  }

  constructor(private readonly dbs: Databases) {
    this.subs.push(dbs.onDidChange((db) => this.redraw(db ? this.dbNodes.get(db.id) : undefined)));
  }

  refresh(rediscover = false): void {
    if (rediscover) this.discovered = undefined;
    this.redraw(undefined);
  }

  private redraw(node: SqlNode | undefined): void {
    this.redrawn.push(node && node.kind === 'db' ? node.db : 'root');
    this.changed.fire(node);
  }

  takeRedrawn(): string[] {
    return this.redrawn.splice(0, this.redrawn.length);
  }

  private dbNode(id: string): SqlNode {
    let n = this.dbNodes.get(id);
    if (!n) this.dbNodes.set(id, (n = { kind: 'db', db: id }));
    return n;
  }

  async getChildren(node?: SqlNode): Promise<SqlNode[]> {
    const guest = node && this.guest ? this.guestTree() : undefined;
    if (node && guest?.owns(node)) return (await guest.getChildren(node)) as SqlNode[];
    try {
      return await this.children(node);
    } catch (e) {
      // One failing branch shows as an error row; the rest of the view still works.
      return [{ kind: 'error', message: messageOf(e) }];
    }
  }

  private async children(node?: SqlNode): Promise<SqlNode[]> {
    if (!node) {
      this.discovered ??= await discoverDatabases();
      const open = this.dbs.all();
      const openIds = new Set(open.map((d) => d.id));
      // Only the nodes the root lists now: a closed database's old node must not take the redraw
      // of its reopening (the root, which shows its file row, would never list it again).
      for (const id of [...this.dbNodes.keys()]) if (!openIds.has(id)) this.dbNodes.delete(id);
      if (this.discovered.some((u) => !openIds.has(u.toString()))) setTimeout(() => this.onDidListDatabases?.(), 0);
      return [
        ...open.map((d) => this.dbNode(d.id)),
        ...this.discovered.filter((u) => !openIds.has(u.toString())).map((u): SqlNode => ({ kind: 'dbFile', uri: u.toString() })),
        ...((await this.guestTree()?.getChildren()) ?? []) as SqlNode[],
      ];
    }
    if (node.kind === 'db') {
      return (['tables', 'views', 'indexes', 'triggers'] as const).map((group): SqlNode => ({ kind: 'group', db: node.db, group }));
    }
    if (node.kind === 'dbFile' || node.kind === 'error' || node.kind === 'column' || node.kind === 'foreignKey' || node.kind === 'trigger' || node.kind === 'indexColumn') return [];
    const s = this.schema(node.db);
    if (!s) return [];
    const db = node.db;
    switch (node.kind) {
      case 'group':
        if (node.group === 'tables') return s.tables.map((t) => ({ kind: 'table', db, table: t.name }));
        if (node.group === 'views') return s.views.map((v) => ({ kind: 'view', db, view: v.name }));
        if (node.group === 'indexes') return s.indexes.map((i) => ({ kind: 'index', db, index: i.name }));
        return s.triggers.map((t) => ({ kind: 'trigger', db, trigger: t.name }));
      case 'table': {
        const t = s.tables.find((x) => x.name === node.table);
        if (!t) return [];
        const cols = t.columns.map((c): SqlNode => ({ kind: 'column', db, table: t.name, column: c.name }));
        const groups = (['indexes', 'foreignKeys', 'triggers'] as const)
          .filter((g) => (g === 'indexes' ? t.indexes : g === 'foreignKeys' ? t.foreignKeys : t.triggers).length > 0)
          .map((group): SqlNode => ({ kind: 'tableGroup', db, table: t.name, group }));
        return [...cols, ...groups];
      }
      case 'view': {
        const v = s.views.find((x) => x.name === node.view);
        return v ? v.columns.map((c) => ({ kind: 'column', db, table: v.name, column: c.name })) : [];
      }
      case 'tableGroup': {
        const t = s.tables.find((x) => x.name === node.table);
        if (!t) return [];
        if (node.group === 'indexes') return t.indexes.map((i) => ({ kind: 'index', db, index: i.name }));
        if (node.group === 'foreignKeys') return t.foreignKeys.map((f) => ({ kind: 'foreignKey', db, table: t.name, id: f.id }));
        return t.triggers.map((x) => ({ kind: 'trigger', db, trigger: x.name }));
      }
      case 'index': {
        const i = s.indexes.find((x) => x.name === node.index);
        return i ? i.columns.map((_, seq) => ({ kind: 'indexColumn', db, index: i.name, seq })) : [];
      }
    }
  }

  private schema(id: string): Schema | undefined {
    return this.dbs.get(id)?.schema;
  }

  getTreeItem(node: SqlNode): vscode.TreeItem {
    const guest = this.guest ? this.guestTree() : undefined;
    if (guest?.owns(node)) return guest.getTreeItem(node);
    return ui.sql().renderNode(node, (id) => this.dbs.get(id));
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
    this.guestSub?.dispose();
    this.changed.dispose();
  }
}
