import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { cancelled, storageError } from '../errors';
import { toStorageError } from './errors';
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
  const partSize = Math.max(MIN_PART_SIZE, o.partSize ?? 8 * 1024 * 1024);
  const body = typeof o.body === 'string' ? createReadStream(o.body, { highWaterMark: 1024 * 1024 }) : o.body instanceof Uint8Array ? o.body : Readable.from(o.body);
  const upload = new Upload({
    client,
    params: { Bucket: o.bucket, Key: o.key, Body: body, ContentType: o.contentType },
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

export interface DownloadOptions extends ObjectRef {
  /** The folder to write into; the key (or `fileName`) is joined safely under it. */
  folder: string;
  /** Use this name instead of the key's path. */
  fileName?: string;
  /** A stream transform, e.g. the codec's decodeStream to save the plaintext. */
  transform?: (src: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;
  overwrite?: boolean;
  signal?: AbortSignal;
  onProgress?: (written: number, total: number) => void;
}

/**
 * Streams an object to a file under `folder`: written to a temp file beside the target and
 * renamed on success, so a failed or cancelled download never leaves a half file.
 */
export async function downloadObject(client: S3Client, o: DownloadOptions): Promise<{ path: string; bytes: number }> {
  const target = safeJoin(o.folder, o.fileName ?? o.key);
  if (!o.overwrite && (await exists(target))) {
    throw storageError('Exists', `${target} already exists. Choose another folder or allow overwriting.`);
  }
  await fsp.mkdir(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.part`);
  const got = await getObjectStream(client, o, o.signal);
  let written = 0;
  // A Transform rather than an async generator: per-chunk promise overhead halves throughput.
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      written += chunk.length;
      o.onProgress?.(written, got.size);
      done(null, chunk);
    },
  });
  const body = got.body as Readable;
  const file = createWriteStream(tmp, { flags: 'wx', highWaterMark: 1024 * 1024 });
  try {
    const transform = o.transform;
    if (transform) await pipeline(body, counter, (src: AsyncIterable<Uint8Array>) => transform(src), file, { signal: o.signal });
    else await pipeline(body, counter, file, { signal: o.signal });
    await fsp.rename(tmp, target);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    if (o.signal?.aborted) throw cancelled(`Downloading s3://${o.bucket}/${o.key}`);
    throw toStorageError(e, { action: 'download', bucket: o.bucket, key: o.key, versionId: o.versionId });
  }
  return { path: target, bytes: (await fsp.stat(target)).size };
}

async function exists(p: string): Promise<boolean> {
  return fsp.stat(p).then(() => true, () => false);
}
