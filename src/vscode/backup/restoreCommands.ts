import * as vscode from 'vscode';
import type { Stats } from 'node:fs';
import { link, lstat, mkdir, rm, unlink, utimes, chmod } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, extname, join, relative } from 'node:path';
import type { TreeNode } from '../../core/backup/model';
import type { Repository } from '../../core/backup/repository';
import type { RestoreProgress } from '../../core/backup/restore';
import { storageError } from '../../core/errors';
import { formatBytes } from '../../core/local/limits';
import { mapFsError } from '../../core/local/fsErrors';
import { seenTarget, type SeenTarget } from '../../core/local/identity';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { backup } from '../lazy';
import { choose, withProgress, type Answers } from '../prompts';
import type { BackupNode } from './nodes';
import { originalPaths } from './originalPaths';
import { optionsOf } from './targets';
import { snapshotTime } from './uri';

/** What a restore command takes after its node; `target` skips the folder dialog of "Restore To...". */
export interface RestoreArgs extends Answers {
  target?: string;
}

export interface RestoreOutcome {
  target: string;
  files: number;
  bytes: number;
  /** Files that existed and were kept as they are (Skip). */
  skipped: string[];
  /** Restored beside an existing file under a new name (Keep Both): the new paths. */
  keptBoth: string[];
  /** The path the restored file or folder has now (the first of a whole snapshot's roots). */
  restored: string;
}

type Choice = 'Overwrite' | 'Skip' | 'Keep Both';

interface Selection {
  repoId: string;
  snapshotId: string;
  time: string;
  /** The snapshot path ('/' for the whole snapshot). */
  path: string;
}

function selectionOf(arg: unknown): Selection {
  const n = arg as BackupNode | undefined;
  if (n?.kind === 'backupSnapshot') return { repoId: n.repoId, snapshotId: n.snapshotId, time: n.time, path: '/' };
  if (n?.kind === 'backupEntry') {
    if (n.type !== 'file' && n.type !== 'dir' && n.type !== 'symlink') throw storageError('BadInput', `${n.path} is a ${n.type}; only files, folders and symlinks are restored.`);
    return { repoId: n.repoId, snapshotId: n.snapshotId, time: n.time, path: n.path };
  }
  throw storageError('BadInput', 'Run this on a snapshot, or a file or folder of one, in the Backups view.');
}

/** Every non-folder the restore would write, as paths relative to the target folder. */
async function planned(repo: Repository, nodes: TreeNode[], rel: string, out: { rel: string; node: TreeNode }[]): Promise<void> {
  for (const n of nodes) {
    const r = rel ? `${rel}/${n.name}` : n.name;
    if (n.type === 'dir') {
      if (n.subtree) await planned(repo, (await repo.loadTree(n.subtree)).nodes ?? [], r, out);
    } else if (n.type === 'file' || n.type === 'symlink') out.push({ rel: r, node: n });
  }
}

const exists = (p: string) => lstat(p).then(() => true, () => false);

/** `report (restored 2026-12-01 2310).txt`: a free name beside `path` for Keep Both. */
async function keepBothName(path: string, time: string): Promise<string> {
  const ext = extname(path);
  const stem = path.slice(0, path.length - ext.length);
  const tag = snapshotTime(time).replace(/:/g, '').slice(0, 15);
  for (let i = 1; ; i++) {
    const p = `${stem} (restored ${tag}${i > 1 ? ` ${i}` : ''})${ext}`;
    if (!(await exists(p))) return p;
  }
}

/** Creates the folders above `rel` in `target` that do not exist yet, and notes them in `made`. */
async function ensureDirs(target: string, rel: string, made: Set<string>): Promise<void> {
  const parts = rel.split('/').slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    const dest = join(target, sub);
    if (made.has(dest) || (await exists(dest))) continue;
    await mkdir(dest).catch((e: unknown) => { throw mapFsError(e, dest); });
    made.add(dest);
  }
}

/** One snapshot path and the folder it lands in, with what restoring it would write. */
interface Part {
  /** The snapshot path ('/' for the whole snapshot into a chosen folder). */
  path: string;
  target: string;
  roots: TreeNode[];
  /** Every non-folder it writes, relative to `target`. */
  items: { rel: string; node: TreeNode }[];
}

/** Where a restore goes: each path back where it was, or everything into one chosen folder. */
type Where = { original: true } | { original?: false; target: string };

/**
 * The parts of a restore. A whole snapshot restored to its original place goes path by path,
 * each into the folder it was backed up from, so the folders above the backed-up paths (which the
 * snapshot holds only to reach them) are never created with, or set to, the snapshot's metadata.
 */
async function partsOf(ctx: Ctx, sel: Selection, where: Where): Promise<Part[]> {
  const repo = await ctx.backup.repos.repository(sel.repoId);
  const snap = await ctx.backup.repos.snapshot(sel.repoId, sel.snapshotId);
  const wanted = !where.original ? [{ path: sel.path, target: where.target }] : sel.path !== '/' ? [{ path: sel.path, target: dirname(sel.path) }] : originalPaths(snap.paths);
  const parts: Part[] = [];
  for (const w of wanted) {
    const at = await ctx.backup.fs.nodeAt({ ...sel, path: w.path });
    const roots = at.node ? [at.node] : ((await repo.loadTree(at.treeId)).nodes ?? []);
    const items: Part['items'] = [];
    await planned(repo, roots, '', items);
    parts.push({ ...w, roots, items });
  }
  return parts;
}

/**
 * Restores a snapshot, a folder or a file, never over a file that exists unless the user says
 * so. Without conflicts (or with Overwrite) the core restores straight into each target, each file
 * atomically. With Skip or Keep Both it restores into a staging folder and then links each file
 * into place with link(), which fails rather than replace a file.
 */
async function restoreInto(ctx: Ctx, arg: unknown, where: Where, answers: Answers): Promise<RestoreOutcome | undefined> {
  const sel = selectionOf(arg);
  const repo = await ctx.backup.repos.repository(sel.repoId);
  const snap = await ctx.backup.repos.snapshot(sel.repoId, sel.snapshotId);
  const parts = await partsOf(ctx, sel, where);
  const taken = new Map<Part, string[]>();
  // what each existing target was when the question is asked: Overwrite replaces only those still so
  const seen = new Map<Part, Map<string, SeenTarget>>();
  const all: string[] = [];
  for (const part of parts) {
    const mine: string[] = [];
    const mySeen = new Map<string, SeenTarget>();
    for (const it of part.items) {
      const path = join(part.target, it.rel);
      const st = await seenTarget(path).catch((e: unknown) => { throw mapFsError(e, path); });
      if (st === 'absent') continue;
      mine.push(it.rel);
      mySeen.set(path, st);
    }
    taken.set(part, mine);
    seen.set(part, mySeen);
    all.push(...mine.map((rel) => join(part.target, rel)));
  }
  const total = parts.reduce((k, p) => k + p.items.length, 0);
  const target = parts.length === 1 ? parts[0]!.target : '/';
  let choice: Choice | undefined;
  if (all.length > 0) {
    const what = all.length === 1 ? `${all[0]} already exists.` : `${all.length} of the ${total} files to restore already exist (${all.slice(0, 3).join(', ')}${all.length > 3 ? ', ...' : ''}).`;
    choice = await choose(`${what} Overwrite them with the snapshot's copy, skip them, or keep both (the restored copy gets a new name)?`, ['Overwrite', 'Skip', 'Keep Both'] as const, answers);
    if (!choice) return undefined;
  }
  const first = parts[0];
  const restoredPath = join(first?.target ?? target, first?.roots[0]?.name ?? '');
  const outcome: RestoreOutcome = { target, files: 0, bytes: 0, skipped: [], keptBoth: [], restored: restoredPath };
  const title = `Restoring ${sel.path === '/' ? `snapshot ${sel.snapshotId.slice(0, 8)}` : sel.path} to ${where.original ? 'its original place' : target}`;
  await withProgress(title, async (signal, report) => {
    const lock = await backup().lockRepository(repo);
    try {
      let last = 0;
      for (const [i, part] of parts.entries()) {
        const onProgress = (p: { files: number; bytes: number; totalFiles: number; totalBytes: number }) => {
          const share = p.totalBytes > 0 ? p.bytes / p.totalBytes : p.totalFiles > 0 ? p.files / p.totalFiles : 1;
          const pct = ((i + share) / parts.length) * 100;
          report(`${parts.length > 1 ? `${part.path}: ` : ''}${p.files} / ${p.totalFiles} files, ${formatBytes(p.bytes)} / ${formatBytes(p.totalBytes)}`, pct - last);
          last = pct;
        };
        const conflicts = taken.get(part) ?? [];
        if (conflicts.length === 0 || choice === 'Overwrite') {
          const done = await backup().restore(repo, snap.id, { path: part.path, target: part.target, overwrite: choice === 'Overwrite' ? seen.get(part)! : false, signal, onProgress });
          outcome.files += done.files;
          outcome.bytes += done.bytes;
        } else await restoreStaged(part, new Set(conflicts), choice!, sel.time, repo, snap.id, signal, onProgress, outcome);
      }
    } finally {
      await lock.release();
    }
  });
  ctx.log.info(`restored ${outcome.files} file(s) of snapshot ${sel.snapshotId.slice(0, 8)}${sel.path === '/' ? '' : ` (${sel.path})`} to ${where.original ? parts.map((p) => p.target).join(', ') : target}${outcome.skipped.length ? `, skipped ${outcome.skipped.length}` : ''}${outcome.keptBoth.length ? `, kept both for ${outcome.keptBoth.length}` : ''}`);
  const only = parts.length === 1 && parts[0]!.items.length === 1 ? parts[0]! : undefined;
  const single = only && only.items[0]!.node.type === 'file' ? (outcome.keptBoth[0] ?? (outcome.skipped.length ? undefined : join(only.target, only.items[0]!.rel))) : undefined;
  const extra = [outcome.skipped.length ? `${outcome.skipped.length} existing file(s) skipped` : '', outcome.keptBoth.length ? `${outcome.keptBoth.length} restored beside the existing one(s)` : ''].filter(Boolean).join(', ');
  const buttons = single ? ['Open', 'Reveal'] : ['Reveal'];
  const to = where.original && parts.length > 1 ? `their original places (${parts.map((p) => p.path).join(', ')})` : target;
  void vscode.window.showInformationMessage(`Restored ${outcome.files} file(s), ${formatBytes(outcome.bytes)}, to ${to}${extra ? ` (${extra})` : ''}.`, ...buttons).then(async (b) => {
    if (b === 'Open' && single) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(single));
    else if (b === 'Reveal') await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(single ?? (await exists(restoredPath) ? restoredPath : target)));
  });
  return outcome;
}

/**
 * Skip / Keep Both: restores the part into a staging folder, then links each file into place.
 * The staging folder goes inside the restored folder when it exists, so the folder above it
 * (perhaps one that was never backed up) is not touched at all.
 */
async function restoreStaged(part: Part, conflicts: Set<string>, choice: Exclude<Choice, 'Overwrite'>, time: string, repo: Repository, snapshotId: string, signal: AbortSignal, onProgress: (p: RestoreProgress) => void, outcome: RestoreOutcome): Promise<void> {
  const only = part.roots.length === 1 ? part.roots[0] : undefined;
  const inside = only?.type === 'dir' && (await lstat(join(part.target, only.name)).then((st) => st.isDirectory(), () => false));
  const staging = join(inside ? join(part.target, only.name) : part.target, `.si-restore-${randomBytes(4).toString('hex')}`);
  try {
    const done = await backup().restore(repo, snapshotId, { path: part.path, target: staging, signal, onProgress });
    outcome.bytes += done.bytes;
    // The staged folders' times, read before moving files out of them changes those times.
    const folderTimes = new Map<string, Stats>();
    for (const it of part.items) {
      const dirs = it.rel.split('/').slice(0, -1);
      for (let i = 1; i <= dirs.length; i++) {
        const sub = dirs.slice(0, i).join('/');
        if (!folderTimes.has(sub)) {
          const st = await lstat(join(staging, sub)).catch(() => undefined);
          if (st) folderTimes.set(sub, st);
        }
      }
    }
    const made = new Set<string>();
    for (const it of part.items) {
      const from = join(staging, it.rel);
      let dest = join(part.target, it.rel);
      if (conflicts.has(it.rel)) {
        if (choice === 'Skip') {
          outcome.skipped.push(dest);
          continue;
        }
        dest = await keepBothName(dest, time);
        outcome.keptBoth.push(dest);
      }
      await ensureDirs(part.target, relative(part.target, dest), made);
      // link() never replaces: if something appeared there since the check, this fails (EEXIST) and nothing is lost.
      await link(from, dest).catch((e: unknown) => { throw mapFsError(e, dest); });
      await unlink(from);
      if (it.node.type === 'file') outcome.files++;
    }
    // Folders this restore created get the snapshot's modes and times, as the core gives its own.
    for (const d of [...made].reverse()) {
      const st = folderTimes.get(relative(part.target, d));
      if (st) {
        await chmod(d, st.mode & 0o7777).catch(() => undefined);
        await utimes(d, st.atimeMs / 1000, st.mtimeMs / 1000).catch(() => undefined);
      }
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export const restoreCommands: CommandSpec[] = [
  { id: 'backup.restore', run: (ctx, arg: unknown, opts?: unknown) => restoreInto(ctx, arg, { original: true }, optionsOf<RestoreArgs>(opts)) },
  {
    id: 'backup.restoreTo',
    run: async (ctx, arg: unknown, opts?: unknown) => {
      const o = optionsOf<RestoreArgs>(opts);
      selectionOf(arg);
      const target = o.target ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Restore Here', title: 'Restore into folder' }))?.[0]?.fsPath;
      if (!target) return undefined;
      return restoreInto(ctx, arg, { target }, o);
    },
  },
];
