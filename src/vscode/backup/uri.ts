import * as vscode from 'vscode';
import { storageError } from '../../core/errors';

export const BACKUP_SCHEME = 'storage-backup';

/** A path in one snapshot of one repository. */
export interface BackupLocation {
  repoId: string;
  /** The full snapshot id. */
  snapshotId: string;
  /** `/dir/file` from the snapshot's root, as restic ls prints it; '/' is the root. */
  path: string;
}

/** `2026-12-01 23:10:05` from a snapshot's RFC 3339 time (local to where it was taken, as restic shows it). */
export function snapshotTime(time: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)/.exec(time);
  return m ? `${m[1]} ${m[2]}` : time;
}

/**
 * `storage-backup://<repoId>/<snapshotId>/<path>`. The query carries only the label the tab's
 * path shows (`/etc/app.conf @ 2026-12-01 23:10:05 (1a2b3c4d)`), as JSON, which is what VS Code's
 * label formatter reads; the location is in the authority and path alone.
 */
export function backupUri(loc: BackupLocation, time?: string): vscode.Uri {
  const path = `/${loc.snapshotId}${loc.path === '/' ? '' : loc.path}`;
  const label = `${loc.path} @ ${time ? `${snapshotTime(time)} ` : ''}(${loc.snapshotId.slice(0, 8)})`;
  return vscode.Uri.from({ scheme: BACKUP_SCHEME, authority: loc.repoId, path, query: JSON.stringify({ label }) });
}

export function parseBackupUri(uri: vscode.Uri): BackupLocation {
  if (uri.scheme !== BACKUP_SCHEME) throw storageError('BadInput', `uri: ${uri.toString()} is not a ${BACKUP_SCHEME}: URI.`);
  const m = /^\/([0-9a-f]{64})(\/.*)?$/.exec(uri.path);
  if (!uri.authority || !m) throw storageError('BadInput', `uri: ${uri.toString()} names no repository or snapshot.`);
  const path = (m[2] ?? '/').replace(/\/+$/, '') || '/';
  return { repoId: uri.authority, snapshotId: m[1]!, path };
}
