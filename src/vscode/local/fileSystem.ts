import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { DecodeInfo } from '../../core/codec/api';
import { storageError } from '../../core/errors';
import { atomicWrite } from '../../core/local/atomicWrite';
import { mapFsError } from '../../core/local/fsErrors';
import { changeSince, changeSinceSync, currentIdentity, type FileIdentity, identityFrom, localSaveConflict, readWithIdentity, sha256Of } from '../../core/local/identity';
import { saveLocks } from '../../core/local/lock';
import { type LocalRoot, resolveInRoot } from '../../core/local/roots';
import { isTempName } from '../../core/local/tempNames';
import type { Ctx } from '../ctx';
import { toFileSystemError } from '../fs/errors';
import { decodeDocument, documentKey, encodeDocument, layersForNew, maxOpenBytes } from '../fs/documentCodec';
import { findRoot } from './settings';

/** A save that lost a race: what it would have written, and the file it found instead. */
export interface LocalSaveConflict {
  uri: vscode.Uri;
  path: string;
  /** The plaintext the save tried to write. */
  content: Uint8Array;
  /** The file as it was when the conflict was found (undefined: it was gone); Overwrite is conditional on it. */
  theirs: FileIdentity | undefined;
}

/**
 * Reads peel gzip/age; writes re-apply the same layers to the same keys and replace the
 * file atomically under the per-path lock, only if the file is still the one that was read
 * (same dev/ino, size, mtime and SHA-256). What each read learned is kept per URI; the
 * identity it served is kept per path.
 */
export class LocalFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly conflicts = new vscode.EventEmitter<LocalSaveConflict>();
  /** Fired on a refused save; the register module offers Compare / Overwrite / Save As Copy / Reload. */
  readonly onDidConflict = this.conflicts.event;
  private readonly decoded = new Map<string, DecodeInfo>();
  private readonly served = new Map<string, FileIdentity>();
  private readonly pending = new Map<string, LocalSaveConflict>();
  /** Folders of files opened from outside every root and workspace folder, for this session. */
  private readonly extra = new Map<string, LocalRoot>();

  constructor(private readonly ctx: Ctx) {
    ctx.subscribe(this.changed, this.conflicts);
  }

  /** Lets storage-local:// name files of this folder (a file opened from outside the roots). */
  addFolder(root: LocalRoot): void {
    this.extra.set(root.id, root);
  }

  extraRoots(): Iterable<LocalRoot> {
    return this.extra.values();
  }

  /** The refused save of this document that waits for the user's choice, if any. */
  pendingConflict(uri: vscode.Uri): LocalSaveConflict | undefined {
    return this.pending.get(uri.toString());
  }

  settleConflict(uri: vscode.Uri): void {
    this.pending.delete(uri.toString());
  }

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
      const root = findRoot(uri.authority, this.extra.values());
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
      // Under the save lock, so a read never records the identity of a file a save is replacing.
      return await saveLocks.run(path, async () => {
        const { bytes, identity } = await readWithIdentity(path, maxOpenBytes());
        const { plaintext, info } = await decodeDocument(this.ctx, documentKey(uri), basename(path), bytes);
        this.decoded.set(uri.toString(), info);
        this.served.set(path, identity);
        return plaintext;
      });
    } catch (e) {
      throw toFileSystemError(e);
    }
  }

  /** Drops what a read learned (layers, identity, passphrase) once no editor holds the document. */
  forget(uri: vscode.Uri): void {
    this.pending.delete(uri.toString());
    if (this.decoded.delete(uri.toString())) this.ctx.keys.forget(documentKey(uri));
    if (![...this.decoded.keys()].some((k) => this.pathOrUndefined(vscode.Uri.parse(k)) === this.pathOrUndefined(uri))) {
      const path = this.pathOrUndefined(uri);
      if (path) this.served.delete(path);
    }
  }

  writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    return this.write(uri, content, options, { conditional: true });
  }

  /**
   * "Overwrite" after a conflict: writes over their version, but only over the version the user
   * was shown (`theirs`; undefined: the file was gone), so a third writer is still not overwritten.
   */
  overwrite(uri: vscode.Uri, content: Uint8Array, theirs: FileIdentity | undefined): Promise<void> {
    return this.write(uri, content, { create: true, overwrite: true }, { conditional: true, expect: theirs ?? 'absent' });
  }

  /** The bytes the document would be saved as (same layers and keys), for "Save As Copy...". */
  async encodeFor(uri: vscode.Uri, dest: string, content: Uint8Array): Promise<Uint8Array> {
    const info = this.decoded.get(uri.toString()) ?? layersForNew(basename(dest));
    return encodeDocument(this.ctx, dest, content, info);
  }

  private async write(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }, how: { conditional: boolean; expect?: FileIdentity | 'absent' }): Promise<void> {
    const path = this.pathOf(uri);
    try {
      await saveLocks.run(path, async () => {
        const exists = await stat(path).then(() => true, () => false);
        if (!exists && !options.create) throw storageError('NotFound', `${path} does not exist. Create it first.`);
        if (exists && !options.overwrite) throw storageError('Exists', `${path} already exists. Choose another name.`);
        const info = this.decoded.get(uri.toString()) ?? (exists ? await this.learn(uri, path) : layersForNew(basename(path)));
        const expect = how.expect ?? this.served.get(path);
        // Checked before encoding (so a lost race costs no work), and again once the new bytes are durable.
        await this.check(uri, path, content, expect);
        const bytes = await encodeDocument(this.ctx, path, content, info);
        const written = await atomicWrite(path, bytes, {
          locked: true,
          ...(expect === 'absent' ? { exclusive: true } : {}),
          ...(expect && expect !== 'absent'
            ? {
                beforeRename: (target: string) => this.check(uri, target, content, expect),
                checkSync: (target: string) => {
                  const why = changeSinceSync(target, expect);
                  if (why) throw this.conflict(uri, path, content, why, undefined);
                },
              }
            : {}),
        });
        // Our own save is what the next save must find.
        this.served.set(path, identityFrom(written, sha256Of(bytes)));
        this.pending.delete(uri.toString());
      });
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    } catch (e) {
      throw toFileSystemError(e);
    }
  }

  private async check(uri: vscode.Uri, path: string, content: Uint8Array, expect: FileIdentity | 'absent' | undefined): Promise<void> {
    if (expect === undefined || expect === 'absent') return;
    const why = await changeSince(path, expect);
    if (why) throw this.conflict(uri, path, content, why, await currentIdentity(path).catch(() => undefined));
  }

  private conflict(uri: vscode.Uri, path: string, content: Uint8Array, why: Parameters<typeof localSaveConflict>[0], theirs: FileIdentity | undefined): Error {
    const c: LocalSaveConflict = { uri, path, content, theirs };
    this.pending.set(uri.toString(), c);
    this.ctx.log.warn(`${path}: save refused (${why} since it was read)`);
    // The offer waits for the user; the save fails now, with the reason, so the editor stays dirty.
    queueMicrotask(() => this.conflicts.fire(c));
    return localSaveConflict(why, path);
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
  private async learn(uri: vscode.Uri, path: string): Promise<DecodeInfo> {
    // Called under the save lock, so it reads without taking it again.
    const { bytes, identity } = await readWithIdentity(path, maxOpenBytes());
    const { info } = await decodeDocument(this.ctx, documentKey(uri), basename(path), bytes);
    this.decoded.set(uri.toString(), info);
    this.served.set(path, identity);
    return info;
  }

  /** The file on disk a storage-local URI names (undefined when its root is not known). */
  pathFor(uri: vscode.Uri): string | undefined {
    return this.pathOrUndefined(uri);
  }

  private pathOrUndefined(uri: vscode.Uri): string | undefined {
    try {
      return this.pathOf(uri);
    } catch {
      return undefined;
    }
  }

  private pathOf(uri: vscode.Uri): string {
    const root = findRoot(uri.authority, this.extra.values());
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
