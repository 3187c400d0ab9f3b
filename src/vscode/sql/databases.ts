import * as vscode from 'vscode';
import { readFile, stat } from 'node:fs/promises';
import { storageError } from '../../core/errors';
import type { DbStats, Schema, SqlSession } from '../../lazy/sql';
import { formatBytes } from '../../core/local/limits';
import { PathLocks } from '../../core/local/lock';
import type { Ctx } from '../ctx';
import { sql } from '../lazy';
import { choose, confirm, type Answers } from '../prompts';
import { MB, readSetting } from '../settings';
import { isVersionUri } from '../s3/uri';

/** How to open a database; `confirm` answers the large-database question. */
export interface OpenDbOptions extends Answers {
  readOnly?: boolean;
}

/** One database loaded into a worker. */
export interface OpenDb {
  id: string;
  uri: vscode.Uri;
  label: string;
  session: SqlSession;
  /** Databases that are not local files open read-only unless the user chose otherwise. */
  readOnly: boolean;
  /** Why it opened read-only although it is a local file (e.g. a hot journal beside it). */
  readOnlyReason?: string;
  schema?: Schema;
  stats?: DbStats;
}

/** How a save that found the file changed is resolved; without it the user is asked. */
export interface SaveOptions {
  onConflict?: 'saveAsCopy' | 'reload' | 'keep';
  /** Where "Save As Copy" writes (else a save dialog asks). */
  copyTo?: string;
}

/** What a save did: wrote the file, found nothing to write, or met a conflict and then... */
export type SaveOutcome = 'saved' | 'unchanged' | 'copied' | 'reloaded' | 'kept';

/** The open databases, keyed by URI; the tree, grids and query editors all read from here. */
export class Databases implements vscode.Disposable {
  private readonly open = new Map<string, OpenDb>();
  private readonly changed = new vscode.EventEmitter<OpenDb | undefined>();
  readonly onDidChange = this.changed.event;
  /** One save of a file at a time; a backup's copy of the file waits for a save in progress, and holds off the next. */
  private readonly saving = new PathLocks();

  constructor(private readonly ctx: Ctx) {}

  /** Runs `work` while the SQL view is not saving the file at `path` (and starts no save of it until `work` ends). */
  whileNotSaving<T>(path: string, work: () => Promise<T>): Promise<T> {
    return this.saving.run(path, work);
  }

  all(): OpenDb[] {
    return [...this.open.values()];
  }

  get(id: string): OpenDb | undefined {
    return this.open.get(id);
  }

  byUri(uri: vscode.Uri): OpenDb | undefined {
    return this.open.get(uri.toString());
  }

  /** Loads a database (or returns it when it is already open). `confirm` answers the size question. */
  async load(uri: vscode.Uri, opts: OpenDbOptions = {}): Promise<OpenDb> {
    const known = this.byUri(uri);
    if (known) return known;
    const mod = sql();
    const size = await sizeOf(uri);
    const askAbove = readSetting('sql.askAboveSizeMB') * MB;
    const label = uri.path.split('/').pop() ?? uri.toString();
    if (mod.checkSize(size, { askAboveBytes: askAbove }, label) === 'ask') {
      const go = await confirm(`${label} is ${formatBytes(size)}. It loads into memory (about twice its size). Open it?`, 'Open', opts);
      if (!go) throw storageError('Cancelled', 'Opening the database was cancelled.');
    }
    // storage-local:// is a local file seen through its gzip/age layers: editable like one.
    const local = uri.scheme === 'file' || uri.scheme === 'storage-local';
    const version = isVersionUri(uri);
    const readOnly = version || (opts.readOnly ?? (local ? false : !readSetting('sql.editRemoteDatabases')));
    const session = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Opening ${label}...` },
      () => mod.SqlSession.open({
        workerPath: this.ctx.distPath('sql-worker.js'),
        wasmPath: this.ctx.distPath('sql-wasm.wasm'),
        // A local file is read by the worker itself; anything else through its provider.
        ...(uri.scheme === 'file' ? { path: uri.fsPath } : { load: () => readBytes(uri) }),
        name: label,
      }),
    );
    const db: OpenDb = { id: uri.toString(), uri, label, session, readOnly: readOnly || session.readOnlyReason !== undefined };
    if (session.readOnlyReason !== undefined) {
      db.readOnlyReason = session.readOnlyReason;
      this.ctx.log.warn(`${label} opened read-only: ${session.readOnlyReason}`);
      void vscode.window.showWarningMessage(`${label} opened read-only. ${session.readOnlyReason}`);
    }
    session.onDirtyChange = () => this.changed.fire(db);
    this.open.set(db.id, db);
    await this.refresh(db);
    this.ctx.log.info(`opened ${label} (${formatBytes(size)}${readOnly ? ', read-only' : ''})`);
    return db;
  }

  /** Re-reads schema and stats after a change. */
  async refresh(db: OpenDb): Promise<void> {
    db.schema = await db.session.call('schema', {});
    db.stats = await db.session.refreshStats();
    this.changed.fire(db);
  }

  /**
   * Writes the database back: a local file only if it is still as it was read (else the user
   * chooses Save As Copy or Reload), anything else through its file system provider (whose
   * saves are conditional too). A database with no change writes nothing.
   */
  async save(db: OpenDb, opts: SaveOptions = {}): Promise<SaveOutcome> {
    if (db.readOnly) throw storageError('NoPermission', `${db.label} is open read-only${db.readOnlyReason ? ` (${db.readOnlyReason})` : ''}. Use Save As Copy, or reopen it with "Open as Database" and allow editing to save.`);
    if (!db.session.dirty) {
      this.ctx.log.info(`${db.label} has no unsaved changes; nothing was written`);
      return 'unchanged';
    }
    if (db.uri.scheme === 'file') {
      try {
        const { bytes } = await this.saving.run(db.uri.fsPath, () => db.session.save());
        this.ctx.log.info(`saved ${db.label} (${bytes} bytes)`);
      } catch (e) {
        if (!sql().isSqlSaveConflict(e)) throw e;
        this.ctx.log.warn(`${db.label} was not saved: ${e.message}`);
        return this.resolveConflict(db, e.message, opts);
      }
    } else {
      const bytes = await db.session.exportBytes();
      await vscode.workspace.fs.writeFile(db.uri, bytes);
      await db.session.markSaved();
      this.ctx.log.info(`saved ${db.label} (${bytes.length} bytes)`);
    }
    await this.refresh(db);
    return 'saved';
  }

  /** The file changed under us: keep the edits in a new file, or see the file as it is now. */
  private async resolveConflict(db: OpenDb, message: string, opts: SaveOptions): Promise<SaveOutcome> {
    const copy = 'Save As Copy...';
    const reload = 'Reload';
    let choice = opts.onConflict;
    if (!choice) {
      const answer = await vscode.window.showWarningMessage(message, { modal: true }, copy, reload);
      choice = answer === copy ? 'saveAsCopy' : answer === reload ? 'reload' : 'keep';
    }
    if (choice === 'reload') {
      await this.discard(db);
      return 'reloaded';
    }
    if (choice === 'saveAsCopy') {
      const dest = opts.copyTo ?? (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(copyName(db.uri.fsPath)), saveLabel: 'Save Copy' }))?.fsPath;
      if (dest === undefined) return 'kept';
      await db.session.saveCopy(dest);
      this.ctx.log.info(`saved a copy of ${db.label} to ${dest}`);
      void vscode.window.showInformationMessage(`Your edits were saved to ${dest}. ${db.label} was not changed; its edits stay unsaved here.`);
      return 'copied';
    }
    return 'kept';
  }

  /** Writes the database as it is now to a new file (never over an existing one). */
  async saveCopy(db: OpenDb, dest: string): Promise<void> {
    if (db.uri.scheme === 'file') await db.session.saveCopy(dest);
    else await sql().writeFileAtomic(dest, await db.session.call('export', {}), { exclusive: true });
  }

  async discard(db: OpenDb): Promise<void> {
    await db.session.discard();
    await this.refresh(db);
  }

  /** Frees the worker. A dirty database asks first (`answers.pick` names the button). Returns false when the user kept it. */
  async close(db: OpenDb, answers: Answers = {}): Promise<boolean> {
    if (db.session.dirty) {
      const save = 'Save and Close';
      const drop = 'Close Without Saving';
      const answer = await choose(`${db.label} has unsaved changes.`, [...(db.readOnly ? [] : [save]), drop], answers);
      if (answer === undefined) return false;
      // A save that met a conflict and was left unresolved keeps the database open with its edits.
      if (answer === save && (await this.save(db)) === 'kept') return false;
    }
    this.open.delete(db.id);
    await db.session.close();
    this.changed.fire(undefined);
    return true;
  }

  dispose(): void {
    for (const db of this.open.values()) void db.session.close();
    this.open.clear();
    this.changed.dispose();
  }
}

/** `/a/b.db` -> `/a/b-copy.db`: the suggested name for Save As Copy. */
function copyName(path: string): string {
  const m = /^(.*?)(\.[^./]*)?$/.exec(path);
  return `${m?.[1] ?? path}-copy${m?.[2] ?? ''}`;
}

async function sizeOf(uri: vscode.Uri): Promise<number> {
  if (uri.scheme === 'file') return (await stat(uri.fsPath)).size;
  return (await vscode.workspace.fs.stat(uri)).size;
}

/** Local files straight from disk; anything else through its file system provider, which peels gzip/age. */
async function readBytes(uri: vscode.Uri): Promise<Uint8Array> {
  if (uri.scheme === 'file') {
    const b = await readFile(uri.fsPath);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  return vscode.workspace.fs.readFile(uri);
}
