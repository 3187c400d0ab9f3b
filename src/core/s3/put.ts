import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { storageError } from '../errors';
import { s3Call, toStorageError } from './errors';
import { headObject } from './objects';

/**
 * What a write expects to find: `etag` = the object is still the one that was read (If-Match);
 * `absent` = nothing is there yet (If-None-Match: *); `any` = overwrite unconditionally.
 */
export type Expect = { etag: string } | { absent: true } | { any: true };

export type ConditionalMode = 'header' | 'head-check';

export interface PutOptions {
  bucket: string;
  key: string;
  body: Uint8Array | string;
  expect: Expect;
  contentType?: string;
  metadata?: Record<string, string>;
  /** How the condition is enforced; see detectConditionalWrites. Default 'header'. */
  mode?: ConditionalMode;
  signal?: AbortSignal;
}

/**
 * Writes an object only if it is as expected, so a concurrent change is a Conflict and never a
 * silent overwrite. In 'head-check' mode (servers that ignore If-Match) a HEAD right before the
 * write stands in: it narrows the race to the gap between two requests but cannot close it.
 */
export async function putObject(client: S3Client, o: PutOptions): Promise<{ etag?: string; versionId?: string }> {
  if (!o.bucket) throw storageError('BadInput', 'bucket: a bucket name is needed.');
  if (!o.key) throw storageError('BadInput', 'key: an object key is needed.');
  const ctx = { action: 'save', bucket: o.bucket, key: o.key };
  const mode = o.mode ?? 'header';
  if (mode === 'head-check' && !('any' in o.expect)) await headCheck(client, o);
  const out = await s3Call(ctx, () =>
    client.send(
      new PutObjectCommand({
        Bucket: o.bucket,
        Key: o.key,
        Body: o.body,
        ContentType: o.contentType,
        Metadata: o.metadata,
        ...('etag' in o.expect ? { IfMatch: o.expect.etag } : {}),
        ...('absent' in o.expect ? { IfNoneMatch: '*' } : {}),
      }),
      { abortSignal: o.signal },
    ),
  );
  return { etag: out.ETag, versionId: out.VersionId };
}

async function headCheck(client: S3Client, o: PutOptions): Promise<void> {
  let current: string | undefined;
  try {
    current = (await headObject(client, { bucket: o.bucket, key: o.key }, o.signal)).etag;
  } catch (e) {
    if (toStorageError(e, { action: 'check', bucket: o.bucket, key: o.key }).code !== 'NotFound') throw e;
  }
  const ok = 'absent' in o.expect ? current === undefined : current === (o.expect as { etag: string }).etag;
  if (!ok) {
    throw storageError('Conflict', `Could not save s3://${o.bucket}/${o.key}: someone else changed it since it was read. Compare your version with theirs, then save again or overwrite.`);
  }
}

const probeCache = new WeakMap<S3Client, Map<string, Promise<ConditionalMode>>>();

/**
 * Finds out once per client and bucket whether the server honours If-Match on PUT: it writes a
 * probe object, tries a write with a wrong ETag, and removes every version of the probe again.
 */
export function detectConditionalWrites(client: S3Client, bucket: string): Promise<ConditionalMode> {
  let perBucket = probeCache.get(client);
  if (!perBucket) probeCache.set(client, (perBucket = new Map()));
  let mode = perBucket.get(bucket);
  if (!mode) {
    mode = probe(client, bucket);
    perBucket.set(bucket, mode);
    mode.catch(() => perBucket.delete(bucket));
  }
  return mode;
}

async function probe(client: S3Client, bucket: string): Promise<ConditionalMode> {
  const key = `.storage-inspector-probe-${randomBytes(8).toString('hex')}`;
  const versions: string[] = [];
  try {
    const first = await putObject(client, { bucket, key, body: 'probe', expect: { any: true } });
    if (first.versionId) versions.push(first.versionId);
    try {
      const second = await putObject(client, { bucket, key, body: 'probe2', expect: { etag: '"00000000000000000000000000000000"' } });
      if (second.versionId) versions.push(second.versionId);
      return 'head-check';
    } catch (e) {
      if (toStorageError(e, { action: 'probe', bucket }).code === 'Conflict') return 'header';
      throw e;
    }
  } finally {
    // Remove each version so a versioned bucket keeps no trace; then the plain key for unversioned ones.
    for (const v of versions) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: v })).catch(() => undefined);
    if (versions.length === 0) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
  }
}
