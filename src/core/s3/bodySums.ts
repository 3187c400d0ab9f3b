import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';

/** The digests a single PUT sends: Content-MD5 (every S3 checks it) and SHA-256 (S3 keeps it). */
export interface BodySums {
  md5Base64: string;
  md5Hex: string;
  sha256Base64: string;
}

export function bodySums(body: Uint8Array): BodySums {
  const md5 = createHash('md5').update(body).digest();
  return { md5Base64: md5.toString('base64'), md5Hex: md5.toString('hex'), sha256Base64: createHash('sha256').update(body).digest('base64') };
}

/**
 * Whether the object now stored under the key holds exactly these bytes: by the SHA-256 the
 * server keeps, or else by an ETag that is a plain MD5 (single PUT, no KMS). It answers the
 * question a lost response leaves open: did our write land? Undefined when nothing proves it.
 */
export async function storedMatches(
  client: S3Client,
  r: { bucket: string; key: string },
  sums: BodySums,
  signal?: AbortSignal,
): Promise<{ etag?: string; versionId?: string } | undefined> {
  let head;
  try {
    head = await client.send(new HeadObjectCommand({ Bucket: r.bucket, Key: r.key, ChecksumMode: 'ENABLED' }), { abortSignal: signal });
  } catch {
    return undefined;
  }
  const same = head.ChecksumSHA256
    ? head.ChecksumSHA256 === sums.sha256Base64
    : !head.ServerSideEncryption?.startsWith('aws:kms') && head.ETag?.replace(/"/g, '') === sums.md5Hex;
  return same ? { etag: head.ETag, versionId: head.VersionId } : undefined;
}
