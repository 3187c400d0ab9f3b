import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { cancelled, storageError } from '../errors';
import { atomicWrite } from '../local/atomicWrite';
import { mapFsError } from '../local/fsErrors';
import { changeSince, changeSinceSync, type ChangeReason, type FileIdentity } from '../local/identity';
import { toStorageError } from './errors';
import { uploadFile } from './fileUpload';
import { getObjectStream, type ObjectRef } from './objects';
import { safeJoin } from './safePath';

/** lib-storage's floor for a part; also the size above which an upload goes multipart. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

export interface UploadOptions {
  bucket: string;
  key: string;
  body: string | AsyncIterable<Uint8Array> | Uint8Array;
  contentType?: string;
  /** Files above this go multipart, in parts of this size (at least 5 MiB). */
  partSize?: number;
  /** Parts in flight; memory is about partSize * queueSize. */
  queueSize?: number;
  signal?: AbortSignal;
  onProgress?: (loaded: number, total?: number) => void;
}

/**
 * Uploads a file (path), stream or buffer; multipart above partSize. A cancel aborts the
 * multipart upload on the server, so no orphaned parts stay behind.
 */
export async function uploadObject(client: S3Client, o: UploadOptions): Promise<{ etag?: string; versionId?: string }> {
  // A file streams each part from its byte range; only streams and buffers go through lib-storage.
  if (typeof o.body === 'string') {
    return uploadFile(client, { bucket: o.bucket, key: o.key, file: o.body, contentType: o.contentType, partSize: o.partSize, queueSize: o.queueSize, signal: o.signal, onProgress: o.onProgress });
  }
  const partSize = Math.max(MIN_PART_SIZE, o.partSize ?? 8 * 1024 * 1024);
  const body = o.body instanceof Uint8Array ? o.body : Readable.from(o.body);
  const upload = new Upload({
    client,
    // Each part (or the single PUT) carries a SHA-256 the server checks and keeps.
    params: { Bucket: o.bucket, Key: o.key, Body: body, ContentType: o.contentType, ChecksumAlgorithm: 'SHA256' },
    partSize,
    queueSize: o.queueSize ?? 4,
    leavePartsOnError: false,
  });
  upload.on('httpUploadProgress', (p) => o.onProgress?.(p.loaded ?? 0, p.total));
  const onAbort = () => void upload.abort().catch(() => undefined);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (o.signal?.aborted) throw cancelled(`Uploading to s3://${o.bucket}/${o.key}`);
    const out = await upload.done();
    return { etag: out.ETag, versionId: out.VersionId };
  } catch (e) {
    if (o.signal?.aborted) throw cancelled(`Uploading to s3://${o.bucket}/${o.key}`);
    throw toStorageError(e, { action: 'upload to', bucket: o.bucket, key: o.key });
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    if (body instanceof Readable) body.destroy();
  }
}

const WRITE_CHUNK = 1024 * 1024;

export interface DownloadOptions extends ObjectRef {
  /** The folder to write into; the key (or `fileName`) is joined safely under it. */
  folder: string;
  /** Use this name instead of the key's path. */
  fileName?: string;
  /** A stream transform, e.g. the codec's decodeStream to save the plaintext. */
  transform?: (src: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;
  overwrite?: boolean;
  /** With `overwrite`: replace only this file as it was (identity and content), else a Conflict. */
  expect?: FileIdentity;
  signal?: AbortSignal;
  onProgress?: (written: number, total: number) => void;
}

/**
 * Streams an object to a file under `folder` through the one atomic write: a failed, cancelled
 * or corrupt download (checksum mismatch) leaves the old file as it was and no temp file.
 */
export async function downloadObject(client: S3Client, o: DownloadOptions): Promise<{ path: string; bytes: number }> {
  const target = safeJoin(o.folder, o.fileName ?? o.key);
  if (!o.overwrite && (await exists(target))) {
    throw storageError('Exists', `${target} already exists. Choose another folder or allow overwriting.`);
  }
  const expect = o.overwrite ? o.expect : undefined;
  // The cheap check first, so a file that already changed costs no transfer.
  if (expect) refuseIfChanged(changeSinceSync(target, expect), target);
  try {
    await fsp.mkdir(path.dirname(target), { recursive: true });
  } catch (e) {
    throw mapFsError(e, path.dirname(target));
  }
  const got = await getObjectStream(client, o, o.signal);
  const body = got.body as Readable;
  let received = 0;
  let networkError: unknown;
  // A Transform rather than an async generator: per-chunk promise overhead halves throughput.
  // It also gathers the socket's small chunks into ~1 MiB writes for atomicWrite's loop.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (t: Transform) => {
    if (pendingBytes > 0) t.push(pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
  };
  const counter = new Transform({
    highWaterMark: 1024 * 1024,
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      o.onProgress?.(received, got.size);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= WRITE_CHUNK) flush(this);
      done();
    },
    flush(done) {
      flush(this);
      done();
    },
  });
  // pipe, not pipeline: when the file side fails (a full disk) and stops reading, the body must
  // not turn that into an error of its own that would hide the real one.
  body.on('error', (e) => {
    networkError ??= e;
    counter.destroy(e as Error);
  });
  body.pipe(counter);
  // The reader (atomicWrite) sees the error through its iterator; this keeps it from also
  // surfacing as an uncaught 'error' event once that reader has stopped.
  counter.on('error', () => undefined);
  const onAbort = () => body.destroy(Object.assign(new Error('aborted by the user'), { name: 'AbortError' }));
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (o.signal?.aborted) onAbort();
    await atomicWrite(target, o.transform ? o.transform(counter) : counter, {
      exclusive: !o.overwrite,
      // Once the bytes are durable: the hash (a writer that kept size and time), then the stat in the rename's tick.
      ...(expect
        ? {
            beforeRename: async (file: string) => refuseIfChanged(await changeSince(file, expect), target),
            checkSync: (file: string) => refuseIfChanged(changeSinceSync(file, expect), target),
          }
        : {}),
    });
  } catch (e) {
    if (o.signal?.aborted) throw cancelled(`Downloading s3://${o.bucket}/${o.key}`);
    // The body's own failure (dropped connection, checksum mismatch) says more than the file's.
    if (networkError !== undefined) throw toStorageError(networkError, { action: 'download', bucket: o.bucket, key: o.key, versionId: o.versionId, transferred: { bytes: received, total: got.size } });
    throw e;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    body.destroy();
  }
  return { path: target, bytes: (await fsp.stat(target)).size };
}

const CHANGED: Record<ChangeReason, string> = {
  changed: 'was changed',
  replaced: 'was replaced by another file',
  deleted: 'was deleted or moved',
};

/** A replace that would write over a file other than the one the user agreed to replace. */
function refuseIfChanged(why: ChangeReason | undefined, file: string): void {
  if (!why) return;
  throw storageError('Conflict', `${path.basename(file)} ${CHANGED[why]} by another program after it was checked for this download, so it was kept as it is and this object was not written (${file}). Download it again to replace what is there now.`);
}

async function exists(p: string): Promise<boolean> {
  return fsp.stat(p).then(() => true, () => false);
}
