import { GetObjectTaggingCommand, HeadObjectCommand, type HeadObjectCommandOutput, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { storageError } from '../errors';
import { s3Call, toStorageError } from './errors';

/**
 * What a PUT replaces besides the bytes. S3 has no "update the body": a new version starts with
 * only what the request carries, so a save must send these again or they are lost.
 */
export interface ObjectProperties {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: Date;
  websiteRedirectLocation?: string;
  metadata: Record<string, string>;
  /** In the `x-amz-tagging` form: `k=v&k2=v2`, each part URL-encoded. */
  tagging?: string;
  storageClass?: string;
  serverSideEncryption?: string;
  sseKmsKeyId?: string;
  bucketKeyEnabled?: boolean;
}

export interface CurrentObject {
  etag?: string;
  versionId?: string;
  properties: ObjectProperties;
}

function fromHead(h: HeadObjectCommandOutput): ObjectProperties {
  const kms = h.ServerSideEncryption === 'aws:kms' || h.ServerSideEncryption === 'aws:kms:dsse';
  return {
    contentType: h.ContentType,
    cacheControl: h.CacheControl,
    contentDisposition: h.ContentDisposition,
    contentEncoding: h.ContentEncoding,
    contentLanguage: h.ContentLanguage,
    expires: h.Expires instanceof Date && !Number.isNaN(h.Expires.getTime()) ? h.Expires : undefined,
    websiteRedirectLocation: h.WebsiteRedirectLocation,
    metadata: h.Metadata ?? {},
    // HEAD leaves STANDARD out; sending nothing keeps it STANDARD.
    storageClass: h.StorageClass,
    serverSideEncryption: h.ServerSideEncryption,
    sseKmsKeyId: kms ? h.SSEKMSKeyId : undefined,
    bucketKeyEnabled: kms ? h.BucketKeyEnabled : undefined,
  };
}

/**
 * Reads the object's properties and tags. With `ifMatch`, a changed object is a Conflict here,
 * before anything is written. Undefined when there is no object.
 */
export async function readCurrent(client: S3Client, r: { bucket: string; key: string; ifMatch?: string }, signal?: AbortSignal): Promise<CurrentObject | undefined> {
  const ctx = { action: 'save', bucket: r.bucket, key: r.key };
  let head: HeadObjectCommandOutput;
  try {
    head = await client.send(new HeadObjectCommand({ Bucket: r.bucket, Key: r.key, IfMatch: r.ifMatch }), { abortSignal: signal });
  } catch (e) {
    const err = toStorageError(e, ctx);
    if (err.code === 'NotFound') {
      if (r.ifMatch !== undefined) throw storageError('Conflict', `Could not save s3://${r.bucket}/${r.key}: someone else deleted it since it was read. Save again to create it anew, or compare first.`, err);
      return undefined;
    }
    throw err;
  }
  const properties = fromHead(head);
  properties.tagging = head.TagCount === 0 ? undefined : await readTagging(client, r.bucket, r.key, head.VersionId, signal);
  return { etag: head.ETag, versionId: head.VersionId, properties };
}

async function readTagging(client: S3Client, bucket: string, key: string, versionId: string | undefined, signal?: AbortSignal): Promise<string | undefined> {
  const ctx = { action: 'read the tags of', bucket, key };
  try {
    const out = await s3Call(ctx, () => client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: versionId }), { abortSignal: signal }));
    const tags = out.TagSet ?? [];
    if (tags.length === 0) return undefined;
    return tags.map((t) => `${encodeURIComponent(t.Key ?? '')}=${encodeURIComponent(t.Value ?? '')}`).join('&');
  } catch (e) {
    const err = toStorageError(e, ctx);
    const name = (err.cause as { name?: string } | undefined)?.name;
    // Stores without object tagging have no tags to lose.
    if (name === 'NotImplemented' || (err.cause as { status?: number } | undefined)?.status === 501) return undefined;
    if (err.code === 'NoPermission') {
      throw storageError('NoPermission', `Could not save s3://${bucket}/${key}: its tags cannot be read (s3:GetObjectTagging is denied), so saving would drop them. Nothing was saved. Ask for that permission, or save a copy under another key.`, err);
    }
    throw err;
  }
}

/** The PUT fields that give a new version the same properties. */
export function putFields(p: ObjectProperties): Partial<PutObjectCommandInput> {
  const out: Partial<PutObjectCommandInput> = {
    ContentType: p.contentType,
    CacheControl: p.cacheControl,
    ContentDisposition: p.contentDisposition,
    ContentEncoding: p.contentEncoding,
    ContentLanguage: p.contentLanguage,
    Expires: p.expires,
    WebsiteRedirectLocation: p.websiteRedirectLocation,
    Metadata: Object.keys(p.metadata).length > 0 ? p.metadata : undefined,
    Tagging: p.tagging,
    StorageClass: p.storageClass as PutObjectCommandInput['StorageClass'],
    ServerSideEncryption: p.serverSideEncryption as PutObjectCommandInput['ServerSideEncryption'],
    SSEKMSKeyId: p.sseKmsKeyId,
    BucketKeyEnabled: p.bucketKeyEnabled,
  };
  for (const k of Object.keys(out) as (keyof typeof out)[]) if (out[k] === undefined) delete out[k];
  return out;
}
