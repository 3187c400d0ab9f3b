import * as vscode from 'vscode';
import { formatBytes } from '../../core/local/limits';
import { layersFromName, looksLikeSqlite } from '../../core/names';
import { ContextSuffix, ContextValue, withSuffixes } from '../contextValues';
import type { LocalNode } from './nodes';

/** Renders one plain-data node of the Local view. */
export function renderNode(node: LocalNode): vscode.TreeItem {
  switch (node.kind) {
    case 'root':
      return pathItem(node.name, `root:${node.rootId}`, node.path, {
        collapsed: true,
        icon: new vscode.ThemeIcon('root-folder'),
        contextValue: ContextValue.localRoot,
        description: node.path,
        tooltip: new vscode.MarkdownString(`**${node.name}**\n\n\`${node.path}\``),
      });
    case 'folder':
      return pathItem(node.entry.name, `${node.rootId}:${node.path}`, node.path, {
        collapsed: true,
        icon: vscode.ThemeIcon.Folder,
        contextValue: ContextValue.localFolder,
        description: modified(node.entry.mtimeMs),
        tooltip: tooltip(node.entry.name, node.path, node.entry),
      });
    case 'file': {
      const item = pathItem(node.entry.name, `${node.rootId}:${node.path}`, node.path, {
        collapsed: false,
        icon: vscode.ThemeIcon.File,
        contextValue: fileContext(node.entry.name),
        description: `${formatBytes(node.entry.size)} · ${modified(node.entry.mtimeMs)}`,
        tooltip: tooltip(node.entry.name, node.path, node.entry),
      });
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

/** A row for a path on disk: a root, a folder or a file. */
function pathItem(
  label: string,
  id: string,
  path: string,
  o: { collapsed: boolean; icon: vscode.ThemeIcon; contextValue: string; description: string; tooltip: vscode.MarkdownString },
): vscode.TreeItem {
  const item = new vscode.TreeItem(label, o.collapsed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = id;
  item.resourceUri = vscode.Uri.file(path);
  item.iconPath = o.icon;
  item.contextValue = o.contextValue;
  item.description = o.description;
  item.tooltip = o.tooltip;
  return item;
}

function fileContext(name: string): string {
  if (name === 'SHA256SUMS' || name === 'B3SUMS') return withSuffixes(ContextValue.localFile, ContextSuffix.manifest);
  const kinds = layersFromName(name).map((l) => l.kind);
  return withSuffixes(ContextValue.localFile, ...kinds, looksLikeSqlite(name) && ContextSuffix.sqlite);
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
