import * as vscode from 'vscode';
import type { Backend } from '../../core/backup/backend';
import type { Repository, SnapshotEntry } from '../../core/backup/repository';
import { isStorageError, storageError } from '../../core/errors';
import type { Ctx } from '../ctx';
import { backup } from '../lazy';
import { affects, readSetting, writeSetting } from '../settings';
import type { BackupRepo } from './repoEntry';

export type { BackupRepo } from './repoEntry';

const secretName = (id: string) => `storageInspector.backup.password.${id}`;

/**
 * The repositories from the settings, their passwords, and one open Repository per entry (the
 * key derivation and the index are paid once). Snapshots never change, so they are kept by id.
 */
export class BackupRepositories {
  private readonly opened = new Map<string, Promise<Repository>>();
  private readonly snapshots = new Map<string, SnapshotEntry>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    ctx.subscribe(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'backup.repositories') || affects(e, 's3.connections')) this.reset();
      }),
    );
  }

  list(): BackupRepo[] {
    return readSetting('backup.repositories').filter((r): r is BackupRepo => {
      const x = r as Partial<BackupRepo> | null;
      return typeof x === 'object' && x !== null && typeof x.id === 'string' && typeof x.name === 'string' && (typeof x.path === 'string' || typeof x.s3 === 'object');
    });
  }

  get(id: string): BackupRepo {
    const r = this.list().find((x) => x.id === id);
    if (!r) throw storageError('NotFound', `There is no backup repository "${id}". It may have been removed; refresh the Backups view or add it again.`);
    return r;
  }

  /** Adds or replaces an entry (by id); a password goes to the secret storage, null removes it. */
  async save(r: BackupRepo, password?: string | null): Promise<void> {
    const clean: BackupRepo = { id: r.id, name: r.name };
    if (r.path) clean.path = r.path;
    if (r.s3) clean.s3 = { connectionId: r.s3.connectionId, bucket: r.s3.bucket, prefix: r.s3.prefix ?? '' };
    if (r.passwordFile) clean.passwordFile = r.passwordFile;
    if (r.passwordCommand) clean.passwordCommand = r.passwordCommand;
    if (password) await this.ctx.secrets.store(secretName(r.id), password);
    else if (password === null) await this.ctx.secrets.delete(secretName(r.id));
    const others = this.list().filter((x) => x.id !== r.id);
    await writeSetting('backup.repositories', [...others, clean], vscode.ConfigurationTarget.Global);
    this.forget(r.id);
    this.changed.fire();
  }

  async remove(id: string): Promise<void> {
    await this.ctx.secrets.delete(secretName(id));
    await writeSetting('backup.repositories', this.list().filter((r) => r.id !== id), vscode.ConfigurationTarget.Global);
    this.forget(id);
    this.changed.fire();
  }

  async setPassword(id: string, password: string): Promise<void> {
    await this.ctx.secrets.store(secretName(id), password);
    this.forget(id);
    this.changed.fire();
  }

  /** The password as restic would find it: a password file, a password command, else the secret storage. */
  private async password(r: BackupRepo): Promise<string> {
    if (r.passwordFile) return backup().readPasswordFile(r.passwordFile);
    if (r.passwordCommand) return backup().passwordFromCommand(r.passwordCommand);
    const stored = await this.ctx.secrets.get(secretName(r.id));
    if (stored === undefined) throw storageError('WrongKey', `${r.name}: no password is stored for this repository. Use "Set Repository Password..." on it.`);
    return stored;
  }

  async backend(r: BackupRepo): Promise<Backend> {
    if (r.s3) return new (backup().S3Backend)(await this.ctx.s3.connections.client(r.s3.connectionId), r.s3.bucket, r.s3.prefix ?? '');
    if (!r.path) throw storageError('BadInput', `${r.name}: the entry names neither a path nor an S3 location. Edit storageInspector.backup.repositories.`);
    return new (backup().LocalBackend)(r.path);
  }

  /** The open repository (opened now if it was not). A failure is not kept: the next call tries again. */
  repository(id: string): Promise<Repository> {
    let p = this.opened.get(id);
    if (!p) {
      const r = this.get(id);
      p = (async () => {
        const backend = await this.backend(r);
        try {
          return await backup().Repository.open(backend, await this.password(r));
        } catch (e) {
          if (isStorageError(e) && e.code === 'WrongKey') throw storageError('WrongKey', `${r.name}: ${e.message} Use "Set Repository Password..." on the repository to change it.`);
          throw e;
        }
      })();
      p.catch(() => this.opened.delete(id));
      this.opened.set(id, p);
    }
    return p;
  }

  /** A snapshot by its full id, read once. */
  async snapshot(repoId: string, snapshotId: string): Promise<SnapshotEntry> {
    const key = `${repoId}/${snapshotId}`;
    let s = this.snapshots.get(key);
    if (!s) {
      const repo = await this.repository(repoId);
      s = { ...(await repo.readJson<SnapshotEntry>('snapshots', snapshotId)), id: snapshotId };
      this.snapshots.set(key, s);
    }
    return s;
  }

  /** Every snapshot, oldest first, read afresh (others may have added or forgotten some). */
  async listSnapshots(repoId: string): Promise<SnapshotEntry[]> {
    const repo = await this.repository(repoId);
    const all = await repo.snapshots();
    for (const s of all) this.snapshots.set(`${repoId}/${s.id}`, s);
    return all;
  }

  /** Drops the open repository, so its index and key are read again (after another program changed it). */
  forget(id: string): void {
    this.opened.delete(id);
  }

  private reset(): void {
    this.opened.clear();
    this.changed.fire();
  }
}
