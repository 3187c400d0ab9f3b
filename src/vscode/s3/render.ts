import * as vscode from 'vscode';
import { formatBytes } from '../../core/local/limits';
import { ContextSuffix, ContextValue, withSuffixes } from '../contextValues';
import { s3Uri } from './uri';
import type { S3Connections } from './connections';
import { baseName, nodeId, type S3Node, type S3VersionNode } from './nodes';
import { looksLikeSqlite } from '../../core/names';
import { localDateTime, relativeTime, shortVersionId } from '../../core/timeText';

const formatSize = (n: number | undefined): string => (n === undefined ? '' : formatBytes(n));

function formatTime(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

/** Renders a plain-data node; the Markdown tooltip with headers is filled in by resolveTreeItem. */
export function renderNode(n: S3Node, connections: S3Connections): vscode.TreeItem {
  const C = vscode.TreeItemCollapsibleState;
  switch (n.kind) {
    case 's3Connection': {
      const conn = connections.list().find((c) => c.id === n.connectionId);
      const item = new vscode.TreeItem(conn?.name ?? n.connectionId, C.Collapsed);
      item.description = conn?.endpoint || (conn?.region ? `AWS ${conn.region}` : 'AWS');
      item.iconPath = new vscode.ThemeIcon('plug');
      item.contextValue = ContextValue.s3Connection;
      item.id = nodeId(n);
      return item;
    }
    case 's3Bucket': {
      const item = new vscode.TreeItem(n.bucket, C.Collapsed);
      item.description = n.versioning === 'Never' || n.versioning === undefined ? '' : `versioning ${n.versioning.toLowerCase()}`;
      item.tooltip = `s3://${n.bucket}\nVersioning: ${n.versioning ?? 'unknown'}`;
      item.iconPath = new vscode.ThemeIcon('database');
      item.contextValue = withSuffixes(ContextValue.s3Bucket, n.versioning ?? 'Unknown');
      item.id = nodeId(n);
      return item;
    }
    case 's3Prefix': {
      const item = new vscode.TreeItem(baseName(n.prefix), C.Collapsed);
      item.iconPath = vscode.ThemeIcon.Folder;
      item.contextValue = ContextValue.s3Prefix;
      item.id = nodeId(n);
      return item;
    }
    case 's3Object': {
      const item = new vscode.TreeItem(baseName(n.key), n.versioned ? C.Collapsed : C.None);
      item.description = n.deleted ? 'deleted' : [formatSize(n.size), formatTime(n.lastModified), n.storageClass && n.storageClass !== 'STANDARD' ? n.storageClass : ''].filter(Boolean).join(' · ');
      item.iconPath = n.deleted ? new vscode.ThemeIcon('trash') : vscode.ThemeIcon.File;
      item.resourceUri = s3Uri({ connectionId: n.connectionId, bucket: n.bucket, key: n.key });
      item.contextValue = withSuffixes(ContextValue.s3Object, n.versioned && ContextSuffix.versioned, n.deleted && ContextSuffix.deleted, looksLikeSqlite(n.key) && ContextSuffix.sqlite);
      item.id = nodeId(n);
      if (!n.deleted) item.command = { command: 'storageInspector.s3.openObject', title: 'Open', arguments: [n] };
      return item;
    }
    case 's3Version': {
      const item = new vscode.TreeItem(versionLabel(n), C.None);
      item.description = versionDescription(n);
      item.iconPath = new vscode.ThemeIcon(n.isDeleteMarker ? 'trash' : n.isLatest ? 'circle-filled' : 'history');
      item.contextValue = withSuffixes(ContextValue.s3Version, n.isLatest && ContextSuffix.latest, n.isDeleteMarker && ContextSuffix.marker, looksLikeSqlite(n.key) && ContextSuffix.sqlite);
      item.tooltip = versionTooltip(n);
      item.id = nodeId(n);
      if (!n.isDeleteMarker) item.command = { command: 'storageInspector.s3.openObject', title: 'Open Version', arguments: [n] };
      return item;
    }
    case 's3LoadMore': {
      const item = new vscode.TreeItem('Load more...', C.None);
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = ContextValue.loadMore;
      item.id = nodeId(n);
      item.command = { command: 'storageInspector.s3.loadMore', title: 'Load more', arguments: [n] };
      return item;
    }
    case 's3Error': {
      const item = new vscode.TreeItem(n.message, C.None);
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.tooltip = `${n.message}\n\nClick to retry.`;
      item.contextValue = ContextValue.errorRow;
      item.id = nodeId(n);
      item.command = { command: 'storageInspector.s3.retry', title: 'Retry', arguments: [n] };
      return item;
    }
  }
}

/** A version row reads as a time: "2 hours ago" (the absolute time is in the tooltip). */
export function versionLabel(n: S3VersionNode, now = new Date()): string {
  const when = n.lastModified ? new Date(n.lastModified) : undefined;
  return when ? relativeTime(when, now) : n.isDeleteMarker ? 'delete marker' : shortVersionId(n.versionId);
}

/** "latest · 1.2 KB · 3c268f51" or "latest · delete marker · 3c268f51": what it is first, the short id last. */
export function versionDescription(n: S3VersionNode): string {
  return [n.isLatest ? 'latest' : '', n.isDeleteMarker ? 'delete marker' : formatSize(n.size), shortVersionId(n.versionId)].filter(Boolean).join(' · ');
}

function versionTooltip(n: S3VersionNode): vscode.MarkdownString {
  const when = n.lastModified ? new Date(n.lastModified) : undefined;
  const what = n.isDeleteMarker ? 'Delete marker' : `Version${n.isLatest ? ' (latest)' : ''}`;
  const lines = [
    `**${mdEscape(n.key)}**`,
    `${what} \`${n.versionId}\``,
    ...(when ? [`${localDateTime(when, true)} (${formatTime(n.lastModified)})`] : []),
    ...(n.isDeleteMarker ? [n.isLatest ? 'The object is deleted; "Undelete" removes this marker.' : 'An older delete marker.'] : [`${formatSize(n.size)} (${n.size ?? 0} bytes)`]),
  ];
  return new vscode.MarkdownString(lines.join('\n\n'));
}

const mdEscape = (s: string) => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

/** The Markdown tooltip of an object: ETag, content type, metadata and checksums from a HEAD. */
export function objectTooltip(
  key: string,
  head: { etag?: string; contentType?: string; size: number; lastModified?: Date; storageClass?: string; versionId?: string; metadata: Record<string, string>; checksums: Record<string, string> },
): vscode.MarkdownString {
  const esc = mdEscape;
  const rows = [
    ['Size', `${formatSize(head.size)} (${head.size} bytes)`],
    ['Last modified', head.lastModified?.toISOString() ?? ''],
    ['ETag', head.etag ?? ''],
    ['Content type', head.contentType ?? ''],
    ['Storage class', head.storageClass ?? ''],
    ...(head.versionId ? [['Version', head.versionId]] : []),
    ...Object.entries(head.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]),
    ...Object.entries(head.checksums).map(([k, v]) => [`Checksum ${k}`, v]),
  ];
  const md = new vscode.MarkdownString(`**${esc(key)}**\n\n| | |\n|---|---|\n${rows.map(([k, v]) => `| ${esc(k ?? '')} | ${esc(v ?? '')} |`).join('\n')}`);
  return md;
}
