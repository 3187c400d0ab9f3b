import * as vscode from 'vscode';
import { KeyService } from './keys/keyService';
import { LocalServices } from './local/services';
import { createLog } from './log';
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
  private keyService: KeyService | undefined;
  private localServices: LocalServices | undefined;
  private s3Services: S3Services | undefined;
  private sqlServices: SqlServices | undefined;

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = createLog();
    this.subscribe(this.log);
  }

  /** age identities, recipient rules and per-document passphrases (src/vscode/keys). */
  get keys(): KeyService {
    this.keyService ??= new KeyService(this);
    return this.keyService;
  }

  /** The Local view's tree, badges, watchers and storage-local:// provider (src/vscode/local). */
  get local(): LocalServices {
    this.localServices ??= new LocalServices(this);
    return this.localServices;
  }

  /** S3 connections, the S3 tree and the storage-s3:// provider (src/vscode/s3). */
  get s3(): S3Services {
    this.s3Services ??= new S3Services(this);
    return this.s3Services;
  }

  /** Open databases, the SQL tree and query editors (src/vscode/sql). */
  get sql(): SqlServices {
    this.sqlServices ??= new SqlServices(this);
    return this.sqlServices;
  }

  get secrets(): vscode.SecretStorage {
    return this.context.secrets;
  }

  /** The extension's settings section (`storageInspector.*`). */
  get settings(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('storageInspector');
  }

  /** Absolute path of a file shipped in dist/ (lazy bundles, wasm, workers). */
  distPath(file: string): string {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', file).fsPath;
  }

  subscribe(...disposables: vscode.Disposable[]): void {
    this.context.subscriptions.push(...disposables);
  }
}
