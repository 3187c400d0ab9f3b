import * as vscode from 'vscode';
import { formatBytes } from '../../core/local/limits';
import { ContextValue } from '../contextValues';
import { baseName, nodeId, type BackupNode } from './nodes';
import { whereOf, type BackupRepo } from './repoEntry';
import { backupUri, snapshotTime } from './uri';

const esc = (s: string) => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

/** Renders a plain-data node. `added` is a snapshot's size added, once it is known. */
export function renderNode(n: BackupNode, repo: BackupRepo | undefined, added: number | undefined): vscode.TreeItem {
  const C = vscode.TreeItemCollapsibleState;
  switch (n.kind) {
    case 'backupRepo': {
      const item = new vscode.TreeItem(repo?.name ?? n.repoId, C.Collapsed);
      item.description = repo ? whereOf(repo) : 'not in the settings';
      item.tooltip = repo ? `${repo.name}\n${whereOf(repo)}${repo.passwordFile ? `\nPassword file: ${repo.passwordFile}` : repo.passwordCommand ? '\nPassword from a command' : ''}` : n.repoId;
      item.iconPath = new vscode.ThemeIcon('archive');
      item.contextValue = ContextValue.backupRepo;
      item.id = nodeId(n);
      return item;
    }
    case 'backupSnapshot': {
      const item = new vscode.TreeItem(snapshotTime(n.time), C.Collapsed);
      const tags = (n.tags ?? []).map((t) => `#${t}`).join(' ');
      item.description = [n.hostname ?? '', n.paths.join(', '), tags, added === undefined ? '' : `+${formatBytes(added)}`].filter(Boolean).join(' · ');
      const rows: [string, string][] = [
        ['Snapshot', `\`${n.snapshotId}\``],
        ['Time', esc(n.time)],
        ['Host', esc(n.hostname ?? '')],
        ['User', esc(n.username ?? '')],
        ['Paths', n.paths.map(esc).join('<br>')],
        ['Tags', esc((n.tags ?? []).join(', '))],
        ['Parent', n.parent ? `\`${n.parent.slice(0, 8)}\`` : ''],
        ['Added to the repository', added === undefined ? 'computing...' : esc(formatBytes(added))],
      ];
      const md = new vscode.MarkdownString(`**Snapshot ${n.snapshotId.slice(0, 8)}**\n\n| | |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}`);
      md.supportHtml = true;
      item.tooltip = md;
      item.iconPath = new vscode.ThemeIcon('history');
      item.contextValue = ContextValue.backupSnapshot;
      item.id = nodeId(n);
      return item;
    }
    case 'backupEntry': {
      const dir = n.type === 'dir';
      const item = new vscode.TreeItem(n.label ?? baseName(n.path), dir ? C.Collapsed : C.None);
      const time = n.mtime ? snapshotTime(n.mtime) : '';
      item.id = nodeId(n);
      item.tooltip = `${n.path}${n.mtime ? `\nModified ${n.mtime}` : ''}${n.size !== undefined ? `\n${n.size} bytes` : ''}`;
      if (dir) {
        item.iconPath = vscode.ThemeIcon.Folder;
        item.contextValue = ContextValue.backupFolder;
        item.description = time;
      } else if (n.type === 'file') {
        item.iconPath = vscode.ThemeIcon.File;
        item.resourceUri = backupUri(n, n.time);
        item.contextValue = ContextValue.backupFile;
        item.description = [formatBytes(n.size ?? 0), time].filter(Boolean).join(' · ');
        item.command = { command: 'storageInspector.backup.openFile', title: 'Open', arguments: [n] };
      } else if (n.type === 'symlink') {
        item.iconPath = new vscode.ThemeIcon('file-symlink-file');
        item.contextValue = ContextValue.backupSymlink;
        item.description = `→ ${n.linktarget ?? ''}`;
      } else {
        // devices, fifos and sockets: listed, never opened or restored
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        item.description = n.type;
      }
      return item;
    }
    case 'backupMore': {
      const item = new vscode.TreeItem('Load more...', C.None);
      item.description = `${n.shown.toLocaleString('en-US')} of ${n.total.toLocaleString('en-US')} shown`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = ContextValue.loadMore;
      item.id = nodeId(n);
      item.command = { command: 'storageInspector.backup.loadMore', title: 'Load more', arguments: [n] };
      return item;
    }
    case 'backupError': {
      const item = new vscode.TreeItem(n.message, C.None);
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.tooltip = `${n.message}\n\nClick to retry.`;
      item.contextValue = ContextValue.errorRow;
      item.id = nodeId(n);
      item.command = { command: 'storageInspector.backup.retry', title: 'Retry', arguments: [n] };
      return item;
    }
  }
}
