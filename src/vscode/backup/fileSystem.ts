import * as vscode from 'vscode';
import type { TreeNode } from '../../core/backup/model';
import { storageError } from '../../core/errors';
import { checkSize } from '../../core/local/limits';
import type { Ctx } from '../ctx';
import { decodeDocument, documentKey, maxOpenBytes } from '../fs/documentCodec';
import { toFileSystemError } from '../fs/errors';
import { backup } from '../lazy';
import type { BackupRepositories } from './repositories';
import { parseBackupUri, type BackupLocation } from './uri';

/** Go's fs.ModeDir and ModeSymlink bits in a tree node's mode. */
const GO_MODE_SYMLINK = 2 ** 27;

/**
 * `storage-backup://<repo>/<snapshot>/<path>`: a snapshot's files, read-only (registered with
 * isReadonly). Every byte comes through the core's verified blob reads; gzip/age layers peel
 * like any other document's.
 */
export class BackupFileSystem implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  constructor(
    private readonly ctx: Ctx,
    private readonly repos: BackupRepositories,
  ) {
    ctx.subscribe(this.emitter);
  }

  watch(): vscode.Disposable {
    // A snapshot never changes.
    return new vscode.Disposable(() => undefined);
  }

  /** The tree node at a location ('/' gives the snapshot's root tree, with no node). */
  async nodeAt(loc: BackupLocation): Promise<{ node?: TreeNode; treeId: string }> {
    const snap = await this.repos.snapshot(loc.repoId, loc.snapshotId);
    const repo = await this.repos.repository(loc.repoId);
    const at = await backup().findNode(repo, snap.tree, loc.path);
    if (!at) throw storageError('NotFound', `${loc.path} is not in snapshot ${loc.snapshotId.slice(0, 8)}.`);
    return at;
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.guard(uri, async () => {
      const { node } = await this.nodeAt(parseBackupUri(uri));
      const mtime = node?.mtime ? Date.parse(node.mtime) || 0 : 0;
      const ctime = node?.ctime ? Date.parse(node.ctime) || mtime : mtime;
      const type = !node || node.type === 'dir' ? vscode.FileType.Directory : node.type === 'file' ? vscode.FileType.File : node.type === 'symlink' || ((node.mode ?? 0) & GO_MODE_SYMLINK) ? vscode.FileType.SymbolicLink : vscode.FileType.Unknown;
      return { type, ctime, mtime, size: node?.type === 'file' ? (node.size ?? 0) : 0, permissions: vscode.FilePermission.Readonly };
    });
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.guard(uri, async () => {
      const loc = parseBackupUri(uri);
      const at = await this.nodeAt(loc);
      if (at.node && at.node.type !== 'dir') throw vscode.FileSystemError.FileNotADirectory(uri);
      const repo = await this.repos.repository(loc.repoId);
      const tree = await repo.loadTree(at.treeId);
      return (tree.nodes ?? []).map((n) => [n.name, n.type === 'dir' ? vscode.FileType.Directory : n.type === 'file' ? vscode.FileType.File : n.type === 'symlink' ? vscode.FileType.SymbolicLink : vscode.FileType.Unknown]);
    });
  }

  /** The file's bytes as stored in the snapshot, every blob's MAC and hash checked; `max` bounds them. */
  async rawBytes(loc: BackupLocation, max = maxOpenBytes()): Promise<Uint8Array> {
    const { node } = await this.nodeAt(loc);
    if (!node || node.type === 'dir') throw storageError('BadInput', `${loc.path} is a folder in the snapshot; open a file.`);
    if (node.type !== 'file') throw storageError('BadInput', `${loc.path} is a ${node.type} in the snapshot, not a file.`);
    checkSize(node.size ?? 0, max, loc.path);
    const repo = await this.repos.repository(loc.repoId);
    const parts: Uint8Array[] = [];
    for (const id of node.content ?? []) parts.push(await repo.loadBlob('data', id));
    const bytes = Buffer.concat(parts);
    if (bytes.length !== (node.size ?? 0)) throw storageError('Integrity', `${loc.path}: its blobs hold ${bytes.length} bytes but the snapshot says ${node.size ?? 0}.`);
    return bytes;
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.guard(uri, async () => {
      const loc = parseBackupUri(uri);
      const bytes = await this.rawBytes(loc);
      return (await decodeDocument(this.ctx, documentKey(uri), loc.path, bytes)).plaintext;
    });
  }

  writeFile(uri: vscode.Uri): never {
    throw this.readOnly(uri);
  }

  delete(uri: vscode.Uri): never {
    throw this.readOnly(uri);
  }

  rename(uri: vscode.Uri): never {
    throw this.readOnly(uri);
  }

  createDirectory(uri: vscode.Uri): never {
    throw this.readOnly(uri);
  }

  private readOnly(uri: vscode.Uri): Error {
    const loc = parseBackupUri(uri);
    return vscode.FileSystemError.NoPermissions(`${loc.path} in snapshot ${loc.snapshotId.slice(0, 8)} is read-only: a snapshot never changes. Use "Restore To..." to get a copy you can edit.`);
  }

  private async guard<T>(uri: vscode.Uri, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof vscode.FileSystemError)) this.ctx.log.warn(`${uri.path}: ${e instanceof Error ? e.message : String(e)}`);
      throw toFileSystemError(e);
    }
  }
}
