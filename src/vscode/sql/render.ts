import * as vscode from 'vscode';
import { formatBytes } from '../../core/local/limits';
import { ContextValue } from '../contextValues';
import type { OpenDb } from './databases';
import {
  type SqlNode, columnDescription, foreignKeyDescription, foreignKeyLabel, indexColumnLabel, indexDescription, tableDescription, triggerDescription, viewDescription,
} from './nodes';
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
      // The index count is the Indexes group's (PRAGMA index_list, which has a WITHOUT ROWID table's
      // primary key index); sqlite_master, which the stats count, does not list that one.
      const desc = st
        ? `${db?.session.dirty ? '● modified · ' : ''}${formatBytes(st.sizeBytes)} · page ${st.pageSize} · SQLite ${st.sqliteVersion} · ${st.tables} tables · ${s ? s.indexes.length : st.indexes} indexes${db?.readOnly ? ' · read-only' : ''}`
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
