import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { isStorageError, storageError } from '../errors';
import { bodySums, storedMatches, type BodySums } from './bodySums';
import { toStorageError } from './errors';
import { putFields, readCurrent, type CurrentObject } from './properties';

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
  /** Overrides the carried content type. */
  contentType?: string;
  /** Merged over the carried user metadata. */
  metadata?: Record<string, string>;
  /**
   * Give the new version the replaced object's properties (content headers, metadata, tags,
   * storage class, encryption). Default: yes, unless the write expects no object.
   */
  keepProperties?: boolean;
  /** How the condition is enforced; see detectConditionalWrites. Default 'header'. */
  mode?: ConditionalMode;
  signal?: AbortSignal;
}

export interface PutResult {
  etag?: string;
  versionId?: string;
  /** The object already held these bytes (a write whose answer was lost); nothing new was written. */
  alreadyStored?: boolean;
}

const conflict = (o: PutOptions, cause?: unknown) =>
  storageError('Conflict', `Could not save s3://${o.bucket}/${o.key}: someone else changed it since it was read. Compare your version with theirs, then save again or overwrite.`, cause);

/**
 * Writes an object only if it is as expected, so a concurrent change is a Conflict and never a
 * silent overwrite. The replaced object's properties are read first and sent again. In
 * 'head-check' mode (servers that ignore If-Match) that read stands in for the condition: it
 * narrows the race to the gap between two requests but cannot close it. A 412 or a lost answer
 * is checked against what is stored: when it holds our bytes, the save did land.
 */
export async function putObject(client: S3Client, o: PutOptions): Promise<PutResult> {
  if (!o.bucket) throw storageError('BadInput', 'bucket: a bucket name is needed.');
  if (!o.key) throw storageError('BadInput', 'key: an object key is needed.');
  const ctx = { action: 'save', bucket: o.bucket, key: o.key };
  const mode = o.mode ?? 'header';
  const body = typeof o.body === 'string' ? Buffer.from(o.body) : o.body;
  const sums = bodySums(body);
  const keep = o.keepProperties ?? !('absent' in o.expect);
  const expectEtag = 'etag' in o.expect ? o.expect.etag : undefined;
  let current: CurrentObject | undefined;
  if (keep || (mode === 'head-check' && !('any' in o.expect))) {
    try {
      current = await readCurrent(client, { bucket: o.bucket, key: o.key, ifMatch: expectEtag }, o.signal);
    } catch (e) {
      // Saving again what an earlier, unanswered save already stored is not a conflict.
      if (isStorageError(e) && e.code === 'Conflict') return landed(client, o, sums, e);
      throw e;
    }
    if (mode === 'head-check') {
      if ('absent' in o.expect && current) throw conflict(o);
      if (expectEtag !== undefined && current?.etag !== expectEtag) return landed(client, o, sums, conflict(o));
    }
  }
  const carried = keep && current ? putFields(current.properties) : {};
  const metadata = { ...(carried.Metadata ?? {}), ...(o.metadata ?? {}) };
  try {
    const out = await client.send(
      new PutObjectCommand({
        ...carried,
        Bucket: o.bucket,
        Key: o.key,
        Body: body,
        ContentType: o.contentType ?? carried.ContentType,
        Metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
        ContentMD5: sums.md5Base64,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: sums.sha256Base64,
        ...(expectEtag !== undefined ? { IfMatch: expectEtag } : {}),
        ...('absent' in o.expect ? { IfNoneMatch: '*' } : {}),
      }),
      { abortSignal: o.signal },
    );
    return { etag: out.ETag, versionId: out.VersionId };
  } catch (e) {
    const err = toStorageError(e, ctx);
    // A 412 after a retry, or no answer at all, may hide our own write that did land.
    if (err.code === 'Conflict') return landed(client, o, sums, err);
    if (err.code === 'Unavailable' && !o.signal?.aborted) {
      const unsure = storageError('Unavailable', `${err.message} The save may have reached the server; saving again is safe, because a save that already landed is recognised.`, err.cause);
      return landed(client, o, sums, unsure);
    }
    throw err;
  }
}

/** Success when the stored object is byte for byte what we sent; else the error stands. */
async function landed(client: S3Client, o: PutOptions, sums: BodySums, err: unknown): Promise<PutResult> {
  const stored = await storedMatches(client, o, sums, o.signal);
  if (!stored) throw err;
  return { ...stored, alreadyStored: true };
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
    // keepProperties off: its HEAD would answer the If-Match question that only the PUT may answer.
    const first = await putObject(client, { bucket, key, body: 'probe', expect: { any: true }, keepProperties: false });
    if (first.versionId) versions.push(first.versionId);
    try {
      const second = await putObject(client, { bucket, key, body: 'probe2', expect: { etag: '"00000000000000000000000000000000"' }, keepProperties: false });
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
