import * as vscode from 'vscode';
import { KeyService } from './keys/keyService';

/** Owns the extension's state and the disposables that live as long as it does. */
export class Ctx {
  readonly log: vscode.LogOutputChannel;
  /** Measured by activate(); read by the bench suite through the extension's exports. */
  activationMs = 0;
  /** Evaluation time of the main bundle (0 when the build did not stamp it). */
  loadMs = 0;

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Storage Inspector', { log: true });
    this.subscribe(this.log);
  }

  private keyService: KeyService | undefined;

  /** age identities, recipient rules and per-document passphrases (src/vscode/keys). */
  get keys(): KeyService {
    this.keyService ??= new KeyService(this);
    return this.keyService;
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
