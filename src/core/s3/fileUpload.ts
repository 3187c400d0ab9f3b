import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import { cancelled, storageError } from '../errors';
import { mapFsError } from '../local/fsErrors';
import { toStorageError } from './errors';

/** S3's floor for every part but the last. */
const MIN_PART = 5 * 1024 * 1024;
/** S3's ceiling on parts per upload. */
const MAX_PARTS = 10_000;

/**
 * The knobs the bench kept (bench/s3.ts, BENCH_S3_KNOBS sweeps others): parts of 8 MiB, 4 in
 * flight. Against moto on 2 cores, 16 MiB x 8 and 8 MiB x 10 were slower and took more memory.
 */
export const FILE_UPLOAD_DEFAULTS = { partSize: 8 * 1024 * 1024, queueSize: 4 } as const;

/** How much of the file each read takes, for the hash pass and the send. */
const READ_CHUNK = 256 * 1024;

export interface FileUploadOptions {
  bucket: string;
  key: string;
  file: string;
  contentType?: string;
  partSize?: number;
  queueSize?: number;
  signal?: AbortSignal;
  onProgress?: (sent: number, total: number) => void;
}

type Handler = (args: { request: unknown }) => Promise<unknown>;
/** The one shape of the SDK's middleware stack used here (its own type is a union per step). */
interface MiddlewareAdder {
  add(mw: (next: Handler) => Handler, options: { step: 'build' | 'deserialize'; name: string }): void;
}

interface Range {
  start: number;
  /** Exclusive. */
  end: number;
}

/** The part size for a file: the asked size, grown when the file would need more than 10,000 parts. */
export function partSizeFor(size: number, asked: number): number {
  return Math.max(MIN_PART, asked, Math.ceil(size / MAX_PARTS));
}

/** Hashes a range of the file through one reused buffer, so the hash pass makes no garbage. */
async function sha256Of(file: string, r: Range, buf: Buffer, signal?: AbortSignal): Promise<Buffer> {
  const h = createHash('sha256');
  const fh = await fsp.open(file, 'r');
  try {
    for (let pos = r.start; pos < r.end; ) {
      if (signal?.aborted) throw cancelled(`Reading ${file}`);
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, r.end - pos), pos);
      if (bytesRead === 0) throw storageError('Conflict', `${file} got shorter while it was being uploaded. Upload it again when it is no longer being written.`);
      h.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return h.digest();
}

/**
 * Sends `cmd` with its body streamed from a range of the file. The body is opened afresh for each
 * attempt (a retry after a dropped connection needs the bytes again) and the payload's SHA-256
 * is signed, so the server checks every byte against the hash computed before sending.
 */
function sendRange<T>(client: S3Client, cmd: PutObjectCommand | UploadPartCommand, file: string, r: Range, sha: Buffer, signal: AbortSignal | undefined, onBytes: (n: number) => void): Promise<T> {
  const hex = sha.toString('hex');
  const stack = cmd.middlewareStack as unknown as MiddlewareAdder;
  stack.add(
    (next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] = hex;
      return next(args);
    },
    { step: 'build', name: 'siSignedPayload' },
  );
  // The deserialize step runs inside the retry loop: each attempt gets its own stream.
  stack.add(
    (next) => (args) => {
      if (r.end === r.start) return next(args); // an empty file: no body at all
      const body: Readable = createReadStream(file, { start: r.start, end: r.end - 1, highWaterMark: READ_CHUNK });
      let sent = 0;
      body.on('data', (c: Buffer) => {
        sent += c.length;
        onBytes(sent);
      });
      (args.request as { body?: unknown }).body = body;
      return next(args);
    },
    { step: 'deserialize', name: 'siRangeBody' },
  );
  return client.send(cmd as never, { abortSignal: signal }) as Promise<T>;
}

/** Refuses to finish an upload of a file that changed while it was read. */
async function checkUnchanged(file: string, before: Stats): Promise<void> {
  const now = await fsp.stat(file).catch((e: unknown) => Promise.reject(mapFsError(e, file)));
  if (now.size !== before.size || now.mtimeMs !== before.mtimeMs) {
    throw storageError('Conflict', `${file} changed while it was being uploaded, so the upload was abandoned and the object was not written. Upload it again when it is no longer being written.`);
  }
}

/**
 * Uploads a local file, streaming each part from its byte range (no part is ever held in memory):
 * one PUT up to the part size, multipart above it with `queueSize` parts in flight. Each part
 * carries its SHA-256, which the server checks and keeps. A failure or cancel aborts the
 * multipart upload on the server, so no orphaned parts stay behind.
 */
export async function uploadFile(client: S3Client, o: FileUploadOptions): Promise<{ etag?: string; versionId?: string }> {
  const what = `Uploading ${o.file} to s3://${o.bucket}/${o.key}`;
  const ctx = { action: 'upload to', bucket: o.bucket, key: o.key };
  let st: Stats;
  try {
    st = await fsp.stat(o.file);
  } catch (e) {
    throw mapFsError(e, o.file);
  }
  if (!st.isFile()) throw storageError('BadInput', `${o.file} is not a file. Use Upload Folder... for a folder.`);
  const size = st.size;
  const partSize = partSizeFor(size, o.partSize ?? FILE_UPLOAD_DEFAULTS.partSize);
  const queueSize = Math.max(1, Math.floor(o.queueSize ?? FILE_UPLOAD_DEFAULTS.queueSize));
  if (o.signal?.aborted) throw cancelled(what);

  if (size <= partSize) {
    try {
      const r = { start: 0, end: size };
      const sha = await sha256Of(o.file, r, Buffer.allocUnsafe(READ_CHUNK), o.signal);
      const cmd = new PutObjectCommand({ Bucket: o.bucket, Key: o.key, ContentType: o.contentType, ContentLength: size, ChecksumAlgorithm: 'SHA256', ChecksumSHA256: sha.toString('base64') });
      const out = await sendRange<{ ETag?: string; VersionId?: string }>(client, cmd, o.file, r, sha, o.signal, (n) => o.onProgress?.(n, size));
      await checkUnchanged(o.file, st);
      return { etag: out.ETag, versionId: out.VersionId };
    } catch (e) {
      if (o.signal?.aborted) throw cancelled(what);
      throw toStorageError(e, ctx);
    }
  }

  let uploadId: string | undefined;
  // Parts stop starting at the first failure; the others finish or fail on the abort.
  const failure = new AbortController();
  const onAbort = () => failure.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const created = await client.send(
      new CreateMultipartUploadCommand({ Bucket: o.bucket, Key: o.key, ContentType: o.contentType, ChecksumAlgorithm: 'SHA256' }),
      { abortSignal: failure.signal },
    );
    uploadId = created.UploadId;
    if (!uploadId) throw storageError('Unavailable', `The server started no multipart upload for s3://${o.bucket}/${o.key}. Retry.`);
    const count = Math.ceil(size / partSize);
    const parts: { PartNumber: number; ETag?: string; ChecksumSHA256: string }[] = new Array(count);
    const sentPerPart = new Float64Array(count);
    let sent = 0;
    let next = 0;
    const worker = async () => {
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      while (next < count && !failure.signal.aborted) {
        const i = next++;
        const r = { start: i * partSize, end: Math.min(size, (i + 1) * partSize) };
        const sha = await sha256Of(o.file, r, buf, failure.signal);
        const cmd = new UploadPartCommand({ Bucket: o.bucket, Key: o.key, UploadId: uploadId, PartNumber: i + 1, ContentLength: r.end - r.start, ChecksumSHA256: sha.toString('base64') });
        const out = await sendRange<{ ETag?: string }>(client, cmd, o.file, r, sha, failure.signal, (n) => {
          // A retried part counts its bytes once.
          if (n > sentPerPart[i]!) {
            sent += n - sentPerPart[i]!;
            sentPerPart[i] = n;
            o.onProgress?.(sent, size);
          }
        });
        parts[i] = { PartNumber: i + 1, ETag: out.ETag, ChecksumSHA256: sha.toString('base64') };
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(queueSize, count) }, () =>
        worker().catch((e: unknown) => {
          failure.abort();
          throw e;
        }),
      ),
    );
    if (o.signal?.aborted) throw cancelled(what);
    await checkUnchanged(o.file, st);
    const done = await client.send(
      new CompleteMultipartUploadCommand({ Bucket: o.bucket, Key: o.key, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
      { abortSignal: o.signal },
    );
    uploadId = undefined;
    return { etag: done.ETag, versionId: done.VersionId };
  } catch (e) {
    if (o.signal?.aborted) throw cancelled(what);
    throw toStorageError(e, ctx);
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    if (uploadId) {
      const id = uploadId;
      await client.send(new AbortMultipartUploadCommand({ Bucket: o.bucket, Key: o.key, UploadId: id })).catch(() => undefined);
    }
  }
}
