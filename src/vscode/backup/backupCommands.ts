import * as vscode from 'vscode';
import { lstat } from 'node:fs/promises';
import { storageError } from '../../core/errors';
import { formatBytes } from '../../core/local/limits';
import type { BackupResult } from '../../lazy/backup';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { backup } from '../lazy';
import { confirm, withProgress, type Answers } from '../prompts';
import { consistentCopies, unsavedDatabases } from './sqliteGuard';
import { optionsOf, repoIdOf } from './targets';

/** What a backup command takes after its folder: the repository (else a pick) and Answers. */
export interface BackupArgs extends Answers {
  repoId?: string;
  tags?: string[];
}

/** `1:05` or `12:01:05`. */
function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The folder a command was run on: a Local root row, a URI, a path; else undefined. */
function folderOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.scheme === 'file' ? arg.fsPath : undefined;
  const a = arg as { kind?: unknown; path?: unknown } | undefined;
  if (a && typeof a === 'object' && (a.kind === 'root' || a.kind === 'folder') && typeof a.path === 'string') return a.path;
  return undefined;
}

/**
 * Backs `folder` up into a repository, with files / bytes / ETA and cancel. The core holds a
 * non-exclusive lock throughout and refuses beside an exclusive one (a prune), naming its holder.
 */
export async function backUp(ctx: Ctx, folder: string, o: BackupArgs): Promise<BackupResult | undefined> {
  const st = await lstat(folder).catch(() => undefined);
  if (!st?.isDirectory()) throw storageError('BadInput', `${folder} is not a folder. Pick a folder to back up.`);
  const repoId = o.repoId ?? (await repoIdOf(ctx, undefined, o, `Back up ${folder} into`));
  if (!repoId) return undefined;
  const r = ctx.backup.repos.get(repoId);
  const unsaved = unsavedDatabases(ctx, folder);
  if (unsaved.length > 0) {
    const go = await confirm(`${unsaved.length === 1 ? unsaved[0] : `${unsaved.length} databases (${unsaved.join(', ')})`} ha${unsaved.length === 1 ? 's' : 've'} unsaved changes in the SQL view. The backup takes ${unsaved.length === 1 ? 'the file' : 'each file'} as last saved, without them. Save first to include them; back up without them?`, 'Back Up Without Them', o);
    if (!go) return undefined;
  }
  const repo = await ctx.backup.repos.repository(repoId);
  // Databases open in the SQL view go in as a copy of what is committed, never as a file half-saved.
  const source = consistentCopies(ctx, folder);
  const started = Date.now();
  const result = await withProgress(`Backing up ${folder} to ${r.name}`, async (signal, report) => {
    let last = 0;
    return backup().runBackup(repo, {
      paths: [folder],
      signal,
      ...(source ? { source } : {}),
      ...(o.tags?.length ? { tags: o.tags } : {}),
      onProgress: (p) => {
        const files = p.totalFiles ? p.files / p.totalFiles : 0;
        const bytes = p.totalBytes ? p.bytesRead / p.totalBytes : 0;
        const share = Math.min(1, Math.max(files, bytes));
        const elapsed = (Date.now() - started) / 1000;
        const eta = share > 0.02 && elapsed > 1 ? `, ETA ${clock((elapsed / share) * (1 - share))}` : '';
        report(`${p.files} / ${p.totalFiles ?? '?'} files, ${formatBytes(p.bytesRead)} / ${formatBytes(p.totalBytes ?? 0)}${eta}`, share * 100 - last);
        last = share * 100;
      },
    });
  });
  ctx.log.info(`backed up ${folder} to ${r.name}: snapshot ${result.snapshotId.slice(0, 8)}, ${result.files} files (${result.filesUnchanged} unchanged), ${formatBytes(result.bytesAdded)} added`);
  for (const w of result.warnings) ctx.log.warn(`backup of ${folder}: ${w}`);
  ctx.backup.tree.refresh({ kind: 'backupRepo', repoId });
  const warn = result.warnings.length ? ` ${result.warnings.length} entr${result.warnings.length === 1 ? 'y' : 'ies'} could not be read (see the log).` : '';
  void vscode.window.showInformationMessage(`Backed up ${folder} to ${r.name}: snapshot ${result.snapshotId.slice(0, 8)}, ${result.files} files, ${formatBytes(result.bytesAdded)} added.${warn}`);
  return result;
}

export const backupCommands: CommandSpec[] = [
  {
    id: 'backup.backUpNow',
    run: (ctx, arg: unknown, opts?: unknown) => {
      const folder = folderOf(arg);
      if (!folder) throw storageError('BadInput', 'Run "Back Up Now" on a root of the Local view, or use "Back Up Folder...".');
      return backUp(ctx, folder, optionsOf<BackupArgs>(opts));
    },
  },
  {
    id: 'backup.backUpFolder',
    run: async (ctx, arg: unknown, opts?: unknown) => {
      const folder = folderOf(arg) ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Back Up', title: 'Back up folder' }))?.[0]?.fsPath;
      if (!folder) return undefined;
      return backUp(ctx, folder, optionsOf<BackupArgs>(opts));
    },
  },
];
