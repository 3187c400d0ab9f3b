import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { DecodeInfo } from '../../core/codec/api';
import { storageError } from '../../core/errors';
import { atomicWrite } from '../../core/local/atomicWrite';
import { mapFsError } from '../../core/local/fsErrors';
import { saveLocks } from '../../core/local/lock';
import { readLimited } from '../../core/local/read';
import { resolveInRoot } from '../../core/local/roots';
import { isTempName } from '../../core/local/tempNames';
import type { Ctx } from '../ctx';
import { toFileSystemError } from '../fs/errors';
import { decodeDocument, documentKey, encodeDocument, layersForNew, maxOpenBytes } from '../fs/documentCodec';
import { findRoot } from './settings';

/**
 * Reads peel gzip/age; writes re-apply the same layers to the same keys and replace the
 * file atomically under the per-path lock. What each read learned is kept per URI.
 */
export class LocalFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly decoded = new Map<string, DecodeInfo>();

  constructor(private readonly ctx: Ctx) {}

  watch(): vscode.Disposable {
    // The Local view's root watchers report changes through changedOnDisk().
    return new vscode.Disposable(() => undefined);
  }

  /** Tells open decoded documents that their file changed on disk, so editors reload it. */
  changedOnDisk(paths: readonly string[]): void {
    if (paths.length === 0 || this.decoded.size === 0) return;
    const wanted = new Set(paths);
    const events: vscode.FileChangeEvent[] = [];
    for (const key of this.decoded.keys()) {
      const uri = vscode.Uri.parse(key);
      const root = findRoot(uri.authority);
      if (root && wanted.has(resolveInRoot(root, uri.path))) events.push({ type: vscode.FileChangeType.Changed, uri });
    }
    if (events.length > 0) this.changed.fire(events);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const path = this.pathOf(uri);
    try {
      const st = await stat(path);
      const type = st.isDirectory() ? vscode.FileType.Directory : st.isFile() ? vscode.FileType.File : vscode.FileType.Unknown;
      return { type, ctime: st.ctimeMs, mtime: st.mtimeMs, size: st.size };
    } catch (e) {
      throw toFileSystemError(mapFsError(e, path));
    }
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const path = this.pathOf(uri);
    try {
      const entries = await readdir(path, { withFileTypes: true });
      return entries
        .filter((d) => !isTempName(d.name))
        .map((d) => [d.name, d.isDirectory() ? vscode.FileType.Directory : d.isFile() ? vscode.FileType.File : vscode.FileType.Unknown]);
    } catch (e) {
      throw toFileSystemError(mapFsError(e, path));
    }
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    const path = this.pathOf(uri);
    await mkdir(path).catch((e: unknown) => {
      throw toFileSystemError(mapFsError(e, path));
    });
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const path = this.pathOf(uri);
    try {
      const bytes = await readLimited(path, maxOpenBytes());
      const { plaintext, info } = await decodeDocument(this.ctx, documentKey(uri), basename(path), bytes);
      this.decoded.set(uri.toString(), info);
      return plaintext;
    } catch (e) {
      throw toFileSystemError(e);
    }
  }

  /** Drops what a read learned (layers, identity, passphrase) once no editor holds the document. */
  forget(uri: vscode.Uri): void {
    if (this.decoded.delete(uri.toString())) this.ctx.keys.forget(documentKey(uri));
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const path = this.pathOf(uri);
    try {
      await saveLocks.run(path, async () => {
        const exists = await stat(path).then(() => true, () => false);
        if (!exists && !options.create) throw storageError('NotFound', `${path} does not exist. Create it first.`);
        if (exists && !options.overwrite) throw storageError('Exists', `${path} already exists. Choose another name.`);
        const info = this.decoded.get(uri.toString()) ?? (exists ? await this.learn(uri) : layersForNew(basename(path)));
        const bytes = await encodeDocument(this.ctx, path, content, info);
        await atomicWrite(path, bytes, { locked: true });
      });
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    } catch (e) {
      throw toFileSystemError(e);
    }
  }

  async delete(uri: vscode.Uri, options: { recursive: boolean }): Promise<void> {
    const path = this.pathOf(uri);
    await rm(path, { recursive: options.recursive }).catch((e: unknown) => {
      throw toFileSystemError(mapFsError(e, path));
    });
    this.decoded.delete(uri.toString());
    this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  async rename(from: vscode.Uri, to: vscode.Uri, options: { overwrite: boolean }): Promise<void> {
    const src = this.pathOf(from);
    const dest = this.pathOf(to);
    if (!options.overwrite && (await stat(dest).then(() => true, () => false))) {
      throw toFileSystemError(storageError('Exists', `${dest} already exists. Choose another name.`));
    }
    await rename(src, dest).catch((e: unknown) => {
      throw toFileSystemError(mapFsError(e, src));
    });
    this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri: from }, { type: vscode.FileChangeType.Created, uri: to }]);
  }

  /** A save without a prior read (e.g. "Save As" over a file) learns the layers and keys by decoding. */
  private async learn(uri: vscode.Uri): Promise<DecodeInfo> {
    await this.readFile(uri);
    return this.decoded.get(uri.toString()) ?? { layers: [] };
  }

  private pathOf(uri: vscode.Uri): string {
    const root = findRoot(uri.authority);
    if (!root) {
      throw vscode.FileSystemError.Unavailable(`No local root with id ${uri.authority} is configured. Add the folder as a root in the Storage view.`);
    }
    try {
      return resolveInRoot(root, uri.path);
    } catch (e) {
      throw toFileSystemError(e);
    }
  }
}
