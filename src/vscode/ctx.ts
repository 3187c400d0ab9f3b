import * as vscode from 'vscode';
import { BackupServices } from './backup/services';
import { KeyService } from './keys/keyService';
import { LocalServices } from './local/services';
import { createLog } from './log';
import { PgServices } from './pg/services';
import { S3Services } from './s3/services';
import { SqlServices } from './sql/services';

/**
 * Owns the extension's state: each area's services, made on first use, and the disposables
 * that live as long as the extension does.
 */
export class Ctx {
  readonly log: vscode.LogOutputChannel;
  /** Measured by activate(); read by the bench suite through the extension's exports. */
  activationMs = 0;
  /** Evaluation time of the main bundle (0 when the build did not stamp it). */
  loadMs = 0;
  /** Each area's services, made by the first caller that needs them. */
  private readonly made = new Map<string, unknown>();

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = createLog();
    this.subscribe(this.log);
  }

  private once<T>(area: string, make: () => T): T {
    if (!this.made.has(area)) this.made.set(area, make());
    return this.made.get(area) as T;
  }

  /** age identities, recipient rules and per-document passphrases (src/vscode/keys). */
  get keys(): KeyService {
    return this.once('keys', () => new KeyService(this));
  }

  /** The Local view's tree, badges, watchers and storage-local:// provider (src/vscode/local). */
  get local(): LocalServices {
    return this.once('local', () => new LocalServices(this));
  }

  /** S3 connections, the S3 tree and the storage-s3:// provider (src/vscode/s3). */
  get s3(): S3Services {
    return this.once('s3', () => new S3Services(this));
  }

  /** Open databases, the SQL tree, query editors and grids (src/vscode/sql). */
  get sql(): SqlServices {
    return this.once('sql', () => new SqlServices(this));
  }

  /** PostgreSQL connections, their pooled sessions and their part of the SQL tree (src/vscode/pg). */
  get pg(): PgServices {
    return this.once('pg', () => new PgServices(this));
  }

  /** Backup repositories, the Backups tree and the storage-backup:// provider (src/vscode/backup). */
  get backup(): BackupServices {
    return this.once('backup', () => new BackupServices(this));
  }

  get secrets(): vscode.SecretStorage {
    return this.context.secrets;
  }

  /** Absolute path of a file shipped in dist/ (lazy bundles, wasm, workers). */
  distPath(file: string): string {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', file).fsPath;
  }

  subscribe(...disposables: vscode.Disposable[]): void {
    this.context.subscriptions.push(...disposables);
  }
}
