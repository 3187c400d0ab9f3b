import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { storageError } from '../errors';
import { s3Call, toStorageError } from './errors';
import { listKeyVersions } from './list';
import type { ObjectHead } from './types';

export interface ObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
}

function checkRef(r: ObjectRef): void {
  if (!r.bucket) throw storageError('BadInput', 'bucket: a bucket name is needed.');
  if (!r.key) throw storageError('BadInput', 'key: an object key is needed.');
}

const CHECKSUM_FIELDS = ['ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumCRC64NVME', 'ChecksumSHA1', 'ChecksumSHA256'] as const;

export async function headObject(client: S3Client, r: ObjectRef, signal?: AbortSignal): Promise<ObjectHead> {
  checkRef(r);
  const out = await s3Call({ action: 'read the properties of', ...r }, () =>
    client.send(new HeadObjectCommand({ Bucket: r.bucket, Key: r.key, VersionId: r.versionId, ChecksumMode: 'ENABLED' }), { abortSignal: signal }),
  );
  const checksums: Record<string, string> = {};
  for (const f of CHECKSUM_FIELDS) {
    const v = out[f];
    if (v) checksums[f.slice('Checksum'.length)] = v;
  }
  return {
    key: r.key,
    versionId: out.VersionId,
    size: out.ContentLength ?? 0,
    etag: out.ETag,
    lastModified: out.LastModified,
    contentType: out.ContentType,
    storageClass: out.StorageClass ?? 'STANDARD',
    metadata: out.Metadata ?? {},
    checksums,
  };
}

export interface GetResult {
  body: AsyncIterable<Uint8Array>;
  size: number;
  etag?: string;
  versionId?: string;
}

/**
 * Streams an object; `ifMatch` makes the read fail with Conflict if it changed. A body that does
 * not match its stored checksum errors at its end: consume it fully before using any of it.
 */
export async function getObjectStream(client: S3Client, r: ObjectRef & { ifMatch?: string }, signal?: AbortSignal): Promise<GetResult> {
  checkRef(r);
  const out = await s3Call({ action: 'read', ...r }, () =>
    // ChecksumMode: the SDK then checks the body against the checksum the server keeps (when it
    // keeps a full-object one) and fails the stream at its end instead of handing over bad bytes.
    client.send(new GetObjectCommand({ Bucket: r.bucket, Key: r.key, VersionId: r.versionId, IfMatch: r.ifMatch, ChecksumMode: 'ENABLED' }), { abortSignal: signal }),
  );
  if (!out.Body) throw storageError('Unavailable', `Reading s3://${r.bucket}/${r.key} returned no body. Retry.`);
  return { body: out.Body as AsyncIterable<Uint8Array>, size: out.ContentLength ?? 0, etag: out.ETag, versionId: out.VersionId };
}

/** Reads a whole object into memory, refusing anything over `maxBytes` before it downloads. */
export async function getObjectBytes(
  client: S3Client,
  r: ObjectRef,
  opts: { maxBytes: number; signal?: AbortSignal },
): Promise<{ bytes: Uint8Array; etag?: string; versionId?: string }> {
  const got = await getObjectStream(client, r, opts.signal);
  if (got.size > opts.maxBytes) {
    (got.body as { destroy?: () => void }).destroy?.();
    throw storageError('TooLarge', `s3://${r.bucket}/${r.key} is ${got.size} bytes, over the ${opts.maxBytes}-byte limit for opening in memory. Download it instead.`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const c of got.body) {
      total += c.byteLength;
      // Content-Length can lie (or be absent); the guard holds on what actually arrives.
      if (total > opts.maxBytes) throw storageError('TooLarge', `s3://${r.bucket}/${r.key} is over the ${opts.maxBytes}-byte limit for opening in memory. Download it instead.`);
      chunks.push(c);
    }
  } catch (e) {
    throw toStorageError(e, { action: 'read', ...r, transferred: { bytes: total, total: got.size } });
  }
  return { bytes: Buffer.concat(chunks, total), etag: got.etag, versionId: got.versionId };
}

/** Copies an object (or one version of it) with all its properties; restoring a version copies it onto its own key. */
export async function copyObject(
  client: S3Client,
  from: ObjectRef,
  to: { bucket: string; key: string },
  signal?: AbortSignal,
): Promise<{ versionId?: string; etag?: string }> {
  checkRef(from);
  checkRef(to);
  const source = `${from.bucket}/${encodeURIComponent(from.key).replace(/%2F/g, '/')}${from.versionId ? `?versionId=${encodeURIComponent(from.versionId)}` : ''}`;
  // COPY keeps content headers, metadata and tags; storage class and encryption are not copied
  // (S3 would use STANDARD and the bucket default), so they are read and sent again.
  const src = await s3Call({ action: 'copy', ...from }, () =>
    client.send(new HeadObjectCommand({ Bucket: from.bucket, Key: from.key, VersionId: from.versionId }), { abortSignal: signal }),
  );
  const kms = src.ServerSideEncryption === 'aws:kms' || src.ServerSideEncryption === 'aws:kms:dsse';
  const out = await s3Call({ action: 'copy', ...from }, () =>
    client.send(
      new CopyObjectCommand({
        Bucket: to.bucket,
        Key: to.key,
        CopySource: source,
        MetadataDirective: 'COPY',
        ...(src.StorageClass ? { StorageClass: src.StorageClass } : {}),
        ...(src.ServerSideEncryption ? { ServerSideEncryption: src.ServerSideEncryption } : {}),
        ...(kms && src.SSEKMSKeyId ? { SSEKMSKeyId: src.SSEKMSKeyId } : {}),
        ...(kms && src.BucketKeyEnabled !== undefined ? { BucketKeyEnabled: src.BucketKeyEnabled } : {}),
      }),
      { abortSignal: signal },
    ),
  );
  return { versionId: out.VersionId, etag: out.CopyObjectResult?.ETag };
}

/** Restores a version: it becomes the newest version of its key; history is kept. */
export function restoreVersion(client: S3Client, r: ObjectRef & { versionId: string }, signal?: AbortSignal) {
  if (!r.versionId) throw storageError('BadInput', 'versionId: restoring needs the version to restore.');
  return copyObject(client, r, { bucket: r.bucket, key: r.key }, signal);
}

/**
 * Without a version id, in a versioned bucket this adds a delete marker (recoverable); with one,
 * it removes that version (or marker) for good.
 */
export async function deleteObject(client: S3Client, r: ObjectRef, signal?: AbortSignal): Promise<{ deleteMarker: boolean; versionId?: string }> {
  checkRef(r);
  const out = await s3Call({ action: 'delete', ...r }, () =>
    client.send(new DeleteObjectCommand({ Bucket: r.bucket, Key: r.key, VersionId: r.versionId }), { abortSignal: signal }),
  );
  return { deleteMarker: out.DeleteMarker === true, versionId: out.VersionId };
}

/** Brings back a deleted object by removing the delete marker that hides it. */
export async function undelete(client: S3Client, r: ObjectRef & { versionId: string }, signal?: AbortSignal): Promise<void> {
  if (!r.versionId) throw storageError('BadInput', 'versionId: undelete needs the delete marker version id.');
  // Deleting a real version by mistake would lose data, so make sure it is a marker first.
  const kv = await listKeyVersions(client, r.bucket, r.key, signal);
  const entry = kv.versions.find((v) => v.versionId === r.versionId);
  if (!entry) throw storageError('NotFound', `s3://${r.bucket}/${r.key} has no version ${r.versionId}. Refresh the view.`);
  if (!entry.isDeleteMarker) throw storageError('BadInput', `versionId: ${r.versionId} of s3://${r.bucket}/${r.key} is a version, not a delete marker; nothing to undelete.`);
  await deleteObject(client, r, signal);
}
