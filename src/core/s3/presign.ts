import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { storageError } from '../errors';
import { s3Call } from './errors';
import type { ObjectRef } from './objects';

/** SigV4 presigned URLs live at most 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** A URL anyone can GET until it expires; it carries a signature, never the secret key. */
export async function presignGet(client: S3Client, r: ObjectRef, expiresInSeconds: number): Promise<string> {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw storageError('BadInput', `expiresInSeconds: must be from 1 to ${MAX_PRESIGN_SECONDS} (7 days), got ${expiresInSeconds}.`);
  }
  return s3Call({ action: 'presign', ...r }, () =>
    getSignedUrl(client, new GetObjectCommand({ Bucket: r.bucket, Key: r.key, VersionId: r.versionId }), { expiresIn: expiresInSeconds }),
  );
}
