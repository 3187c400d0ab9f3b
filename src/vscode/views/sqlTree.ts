import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import type { Schema } from '../../lazy/sql';
import { ContextValue } from '../contextValues';
import type { Ctx } from '../ctx';
import type { Databases, OpenDb } from '../sql/databases';
import { discoverDatabases } from '../sql/discover';
import {
  type SqlNode, columnDescription, foreignKeyDescription, foreignKeyLabel, indexColumnLabel, indexDescription, tableDescription, triggerDescription, viewDescription,
} from './sqlNodes';

const MB = 1e6;

/** Open databases first, then the workspace's other SQLite files (opened on click). */
export class SqlTree implements vscode.TreeDataProvider<SqlNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SqlNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private discovered: vscode.Uri[] | undefined;
  private readonly subs: vscode.Disposable[] = [];
  /** Called when the root lists at least one database file that is not open yet. */
  onDidListDatabases: (() => void) | undefined;

  constructor(private readonly ctx: Ctx, private readonly dbs: Databases) {
    this.subs.push(dbs.onDidChange(() => this.changed.fire(undefined)));
  }

  refresh(rediscover = false): void {
    if (rediscover) this.discovered = undefined;
    this.changed.fire(undefined);
  }

  async getChildren(node?: SqlNode): Promise<SqlNode[]> {
    try {
      return await this.children(node);
    } catch (e) {
      // One failing branch shows as an error row; the rest of the view still works.
      return [{ kind: 'error', message: messageOf(e) }];
    }
  }

  private async children(node?: SqlNode): Promise<SqlNode[]> {
    if (!node) {
      this.discovered ??= await discoverDatabases(this.ctx);
      const open = this.dbs.all();
      const openIds = new Set(open.map((d) => d.id));
      if (this.discovered.some((u) => !openIds.has(u.toString()))) setTimeout(() => this.onDidListDatabases?.(), 0);
      return [
        ...open.map((d): SqlNode => ({ kind: 'db', db: d.id })),
        ...this.discovered.filter((u) => !openIds.has(u.toString())).map((u): SqlNode => ({ kind: 'dbFile', uri: u.toString() })),
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
    return renderNode(node, (id) => this.dbs.get(id));
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}

const None = vscode.TreeItemCollapsibleState.None;
const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;

function item(label: string, description: string, icon: string, context: string, state = None, tooltip?: string): vscode.TreeItem {
  const it = new vscode.TreeItem(label, state);
  it.description = description;
  it.iconPath = new vscode.ThemeIcon(icon);
  it.contextValue = context;
  if (tooltip) it.tooltip = new vscode.MarkdownString().appendCodeblock(tooltip, 'sql');
  return it;
}

/** Renders one node; exported for the tree snapshot that tests read. */
export function renderNode(node: SqlNode, get: (id: string) => OpenDb | undefined): vscode.TreeItem {
  if (node.kind === 'error') return item(node.message, '', 'error', ContextValue.errorRow);
  if (node.kind === 'dbFile') {
    const uri = vscode.Uri.parse(node.uri);
    const it = item(uri.path.split('/').pop() ?? node.uri, vscode.workspace.asRelativePath(uri), 'database', ContextValue.sqlDbFile);
    it.id = `file:${node.uri}`;
    it.command = { command: 'storageInspector.sql.openDatabase', title: 'Open', arguments: [uri] };
    it.tooltip = 'Click to open this SQLite database';
    return it;
  }
  const db = get(node.db);
  const s = db?.schema;
  switch (node.kind) {
    case 'db': {
      const st = db?.stats;
      const desc = st
        ? `${db?.session.dirty ? '● modified · ' : ''}${(st.sizeBytes / MB).toFixed(1)} MB · page ${st.pageSize} · SQLite ${st.sqliteVersion} · ${st.tables} tables · ${st.indexes} indexes${db?.readOnly ? ' · read-only' : ''}`
        : '';
      const it = item(`${db?.session.dirty ? '● ' : ''}${db?.label ?? node.db}`, desc, 'database', db?.session.dirty ? ContextValue.sqlDbDirty : ContextValue.sqlDb, vscode.TreeItemCollapsibleState.Expanded);
      // Its own id, so the tree does not carry over the collapsed state of the file node it replaces.
      it.id = `db:${node.db}`;
      it.tooltip = new vscode.MarkdownString(`**${db?.label}**\n\n${db?.uri.toString(true)}\n\n${st ? `${st.pageCount} pages of ${st.pageSize} bytes, ${st.freelistCount} free · ${st.encoding} · ${st.views} views · ${st.triggers} triggers` : ''}`);
      return it;
    }
    case 'group': {
      const n = s ? { tables: s.tables, views: s.views, indexes: s.indexes, triggers: s.triggers }[node.group].length : 0;
      const label = node.group[0]!.toUpperCase() + node.group.slice(1);
      return item(label, String(n), { tables: 'table', views: 'eye', indexes: 'list-ordered', triggers: 'zap' }[node.group], ContextValue.sqlGroup, n > 0 ? Collapsed : None);
    }
    case 'table': {
      const t = s?.tables.find((x) => x.name === node.table);
      const it = item(node.table, t ? tableDescription(t) : '', t?.kind === 'virtual' ? 'symbol-interface' : 'table', t?.kind === 'virtual' ? ContextValue.sqlVirtualTable : ContextValue.sqlTable, Collapsed, t?.sql ?? undefined);
      return it;
    }
    case 'view': {
      const v = s?.views.find((x) => x.name === node.view);
      return item(node.view, v ? viewDescription(v) : '', 'eye', ContextValue.sqlView, Collapsed, v?.sql);
    }
    case 'tableGroup': {
      const label = { indexes: 'Indexes', foreignKeys: 'Foreign Keys', triggers: 'Triggers' }[node.group];
      return item(label, '', { indexes: 'list-ordered', foreignKeys: 'references', triggers: 'zap' }[node.group], ContextValue.sqlGroup, Collapsed);
    }
    case 'column': {
      const c = (s?.tables.find((x) => x.name === node.table) ?? s?.views.find((x) => x.name === node.table))?.columns.find((x) => x.name === node.column);
      return item(node.column, c ? columnDescription(c) : '', c && c.pk > 0 ? 'key' : 'symbol-field', ContextValue.sqlColumn);
    }
    case 'index': {
      const i = s?.indexes.find((x) => x.name === node.index);
      return item(node.index, i ? indexDescription(i) : '', 'list-ordered', i?.origin === 'c' ? ContextValue.sqlIndex : ContextValue.sqlAutoIndex, Collapsed, i?.sql ?? undefined);
    }
    case 'indexColumn': {
      const c = s?.indexes.find((x) => x.name === node.index)?.columns[node.seq];
      return item(c ? indexColumnLabel(c) : '?', c?.expression ? 'expression' : '', c?.desc ? 'arrow-down' : 'arrow-up', ContextValue.sqlColumn);
    }
    case 'foreignKey': {
      const fk = s?.tables.find((x) => x.name === node.table)?.foreignKeys.find((f) => f.id === node.id);
      return item(fk ? foreignKeyLabel(fk) : '?', fk ? foreignKeyDescription(fk) : '', 'references', ContextValue.sqlForeignKey);
    }
    case 'trigger': {
      const t = s?.triggers.find((x) => x.name === node.trigger);
      return item(node.trigger, t ? triggerDescription(t) : '', 'zap', ContextValue.sqlTrigger, None, t?.sql);
    }
  }
}
