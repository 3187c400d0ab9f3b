import * as vscode from 'vscode';
import type { DecodeInfo } from '../../core/codec/api';
import { isStorageError, storageError } from '../../core/errors';
import type { Ctx } from '../ctx';
import { toFileSystemError } from '../fs/errors';
import { s3 } from '../lazy';
import { decodeDocument, documentKey, encodeDocument, layersForNew, maxOpenBytes } from '../fs/documentCodec';
import type { S3Connections } from './connections';
import { parseS3Uri, s3Uri, s3UriText, type S3Location } from './uri';

/** What a read learned, so the save can be conditional and re-apply the same layers. */
interface ReadState {
  etag?: string;
  info: DecodeInfo;
}

/** Fired on a save that lost a race; the register module offers Compare / Overwrite. */
export interface SaveConflict {
  uri: vscode.Uri;
  content: Uint8Array;
}

/**
 * `storage-s3://<connection>/<bucket>/<key>`: objects decoded in editor tabs, saved with a
 * conditional write, and prefixes as folders so a bucket can be a workspace folder.
 */
export class S3FileSystem implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly conflicts = new vscode.EventEmitter<SaveConflict>();
  readonly onDidConflict = this.conflicts.event;
  private readonly reads = new Map<string, ReadState>();

  constructor(
    private readonly ctx: Ctx,
    private readonly connections: S3Connections,
  ) {
    ctx.subscribe(this.emitter, this.conflicts);
  }

  watch(): vscode.Disposable {
    // S3 has no change feed; our own writes fire events, others show on refresh.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.guard(uri, async () => {
      const loc = parseS3Uri(uri);
      const client = await this.connections.client(loc.connectionId);
      if (loc.key === '' || loc.key.endsWith('/')) return this.dirStat(client, loc);
      try {
        const head = await s3().headObject(client, { bucket: loc.bucket, key: loc.key, versionId: loc.versionId });
        const mtime = head.lastModified?.getTime() ?? 0;
        return {
          type: vscode.FileType.File,
          ctime: mtime,
          mtime,
          size: head.size,
          ...(loc.versionId ? { permissions: vscode.FilePermission.Readonly } : {}),
        };
      } catch (e) {
        if (!isStorageError(e) || e.code !== 'NotFound' || loc.versionId) throw e;
        return this.dirStat(client, { ...loc, key: `${loc.key}/` });
      }
    });
  }

  private async dirStat(client: Awaited<ReturnType<S3Connections['client']>>, loc: S3Location): Promise<vscode.FileStat> {
    const page = await s3().listPage(client, { bucket: loc.bucket, prefix: loc.key, maxKeys: 1 });
    if (loc.key !== '' && page.objects.length === 0 && page.prefixes.length === 0) {
      throw storageError('NotFound', `${s3UriText(loc.bucket, loc.key)} does not exist.`);
    }
    return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.guard(uri, async () => {
      const loc = parseS3Uri(uri);
      const client = await this.connections.client(loc.connectionId);
      const prefix = loc.key === '' || loc.key.endsWith('/') ? loc.key : `${loc.key}/`;
      const out: [string, vscode.FileType][] = [];
      for await (const page of s3().listAll(client, { bucket: loc.bucket, prefix })) {
        for (const p of page.prefixes) out.push([p.slice(prefix.length).replace(/\/$/, ''), vscode.FileType.Directory]);
        // The `prefix/` placeholder object of an empty folder is the folder itself.
        for (const o of page.objects) if (o.key !== prefix) out.push([o.key.slice(prefix.length), vscode.FileType.File]);
      }
      return out.filter(([name]) => name !== '');
    });
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.guard(uri, async () => {
      const loc = parseS3Uri(uri);
      const client = await this.connections.client(loc.connectionId);
      const got = await s3().getObjectBytes(client, { bucket: loc.bucket, key: loc.key, versionId: loc.versionId }, { maxBytes: maxOpenBytes() });
      const { plaintext, info } = await decodeDocument(this.ctx, documentKey(uri), loc.key, got.bytes);
      if (!loc.versionId) this.reads.set(documentKey(uri), { etag: got.etag, info });
      return plaintext;
    });
  }

  writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    return this.write(uri, content, options, false);
  }

  /** Writes over whatever is there now (after the user chose "Overwrite" on a conflict). */
  overwrite(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    return this.write(uri, content, { create: true, overwrite: true }, true);
  }

  /** A save conditional on the ETag that was read, unless `overAnything` (the user chose to overwrite). */
  private write(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }, overAnything: boolean): Promise<void> {
    return this.guard(uri, async () => {
      const loc = parseS3Uri(uri);
      if (loc.versionId) throw vscode.FileSystemError.NoPermissions(`${s3UriText(loc.bucket, loc.key)} version ${loc.versionId} is read-only. Use "Restore This Version" to make it the latest.`);
      if (loc.key === '') throw storageError('BadInput', 'uri: a bucket is not a file.');
      const client = await this.connections.client(loc.connectionId);
      const known = this.reads.get(documentKey(uri));
      let expect: { etag: string } | { absent: true } | { any: true };
      if (overAnything) expect = { any: true };
      else if (known?.etag) expect = { etag: known.etag };
      else if (options.create && !options.overwrite) expect = { absent: true };
      else expect = { any: true };
      if (!known?.etag && !options.create) await this.stat(uri);
      const info = known?.info ?? layersForNew(loc.key);
      const body = await encodeDocument(this.ctx, s3UriText(loc.bucket, loc.key), content, info);
      const mode = await s3().detectConditionalWrites(client, loc.bucket);
      try {
        const out = await s3().putObject(client, { bucket: loc.bucket, key: loc.key, body, expect, mode });
        this.reads.set(documentKey(uri), { etag: out.etag, info });
      } catch (e) {
        if (isStorageError(e) && e.code === 'Conflict' && 'etag' in expect) this.conflicts.fire({ uri, content });
        throw e;
      }
      this.emitter.fire([{ type: known || !options.create ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
    });
  }

  async delete(uri: vscode.Uri, options: { recursive: boolean }): Promise<void> {
    return this.guard(uri, async () => {
      const loc = parseS3Uri(uri);
      const client = await this.connections.client(loc.connectionId);
      const st = await this.stat(uri);
      if (st.type === vscode.FileType.File) {
        await s3().deleteObject(client, { bucket: loc.bucket, key: loc.key, versionId: loc.versionId });
      } else {
        if (!options.recursive) throw vscode.FileSystemError.NoPermissions('Deleting a folder needs the recursive option.');
        const prefix = loc.key === '' ? '' : `${loc.key.replace(/\/$/, '')}/`;
        for await (const page of s3().listAll(client, { bucket: loc.bucket, prefix, delimiter: '' })) {
          for (const o of page.objects) await s3().deleteObject(client, { bucket: loc.bucket, key: o.key });
        }
      }
      this.reads.delete(documentKey(uri));
      this.emitter.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
    });
  }

  async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { overwrite: boolean }): Promise<void> {
    return this.guard(oldUri, async () => {
      const from = parseS3Uri(oldUri);
      const to = parseS3Uri(newUri);
      if (from.connectionId !== to.connectionId) throw storageError('BadInput', 'newUri: moving between connections is not supported; download and upload instead.');
      const client = await this.connections.client(from.connectionId);
      if (!options.overwrite) {
        const exists = await this.stat(newUri).then(() => true, () => false);
        if (exists) throw vscode.FileSystemError.FileExists(newUri);
      }
      const st = await this.stat(oldUri);
      const moves: [string, string][] = [];
      if (st.type === vscode.FileType.File) moves.push([from.key, to.key]);
      else {
        const src = `${from.key.replace(/\/$/, '')}/`;
        const dst = `${to.key.replace(/\/$/, '')}/`;
        for await (const page of s3().listAll(client, { bucket: from.bucket, prefix: src, delimiter: '' })) {
          for (const o of page.objects) moves.push([o.key, dst + o.key.slice(src.length)]);
        }
      }
      // Copy everything first, then delete: a failure half way leaves copies, never losses.
      for (const [a, b] of moves) await s3().copyObject(client, { bucket: from.bucket, key: a }, { bucket: to.bucket, key: b });
      for (const [a] of moves) await s3().deleteObject(client, { bucket: from.bucket, key: a });
      this.emitter.fire([{ type: vscode.FileChangeType.Deleted, uri: oldUri }, { type: vscode.FileChangeType.Created, uri: newUri }]);
    });
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    return this.guard(uri, async () => {
      const loc = parseS3Uri(uri);
      const client = await this.connections.client(loc.connectionId);
      // S3 has no folders; the console's convention is an empty `prefix/` object.
      await s3().putObject(client, { bucket: loc.bucket, key: `${loc.key.replace(/\/$/, '')}/`, body: new Uint8Array(0), expect: { any: true } });
      this.emitter.fire([{ type: vscode.FileChangeType.Created, uri }]);
    });
  }

  /** Tells the tree and open editors that an object changed outside the provider (commands). */
  changed(loc: S3Location): void {
    const uri = s3Uri({ ...loc, versionId: undefined });
    this.reads.delete(documentKey(uri));
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  private async guard<T>(uri: vscode.Uri, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof vscode.FileSystemError)) this.ctx.log.warn(`${uri.toString()}: ${e instanceof Error ? e.message : String(e)}`);
      throw toFileSystemError(e);
    }
  }
}
