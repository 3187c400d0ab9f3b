import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  ListBucketsCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { storageError } from '../errors';
import { s3Call } from './errors';
import { listVersionsPage } from './list';
import type { VersioningStatus } from './types';

export interface BucketInfo {
  name: string;
  created?: Date;
}

export async function listBuckets(client: S3Client, signal?: AbortSignal): Promise<BucketInfo[]> {
  const out = await s3Call({ action: 'list the buckets of' }, () => client.send(new ListBucketsCommand({}), { abortSignal: signal }));
  return (out.Buckets ?? []).flatMap((b) => (b.Name ? [{ name: b.Name, created: b.CreationDate }] : []));
}

export async function getVersioning(client: S3Client, bucket: string, signal?: AbortSignal): Promise<VersioningStatus> {
  const out = await s3Call({ action: 'read the versioning of', bucket }, () =>
    client.send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal: signal }),
  );
  return out.Status === 'Enabled' || out.Status === 'Suspended' ? out.Status : 'Never';
}

/** Versioning can be suspended but never switched off again; S3 keeps the existing versions. */
export async function setVersioning(client: S3Client, bucket: string, enabled: boolean): Promise<void> {
  await s3Call({ action: enabled ? 'enable versioning on' : 'suspend versioning on', bucket }, () =>
    client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: enabled ? 'Enabled' : 'Suspended' } })),
  );
}

/** Bucket names as S3 accepts them (3-63 chars, lowercase, digits, dots, hyphens). */
export function checkBucketName(name: string): void {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) || name.includes('..')) {
    throw storageError('BadInput', `bucket: "${name}" is not a valid bucket name. Use 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit.`);
  }
}

export async function createBucket(client: S3Client, bucket: string, region?: string): Promise<void> {
  checkBucketName(bucket);
  const config = region && region !== 'us-east-1' ? { CreateBucketConfiguration: { LocationConstraint: region as never } } : {};
  await s3Call({ action: 'create', bucket }, () => client.send(new CreateBucketCommand({ Bucket: bucket, ...config })));
}

/** Permanently removes every version and delete marker, a page (up to 1000) per batch request. */
export async function emptyBucket(client: S3Client, bucket: string, signal?: AbortSignal, onProgress?: (deleted: number) => void): Promise<number> {
  let deleted = 0;
  for (;;) {
    // Always restart from the top: what was deleted is gone, so there is no cursor to keep.
    const page = await listVersionsPage(client, { bucket, delimiter: '', signal });
    const objects = page.keys.flatMap((k) => k.versions.map((v) => ({ Key: k.key, VersionId: v.versionId })));
    if (objects.length === 0) return deleted;
    const out = await s3Call({ action: 'empty', bucket }, () =>
      client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }), { abortSignal: signal }),
    );
    if (out.Errors && out.Errors.length > 0) {
      const first = out.Errors[0];
      throw storageError('NoPermission', `Could not empty s3://${bucket}: ${out.Errors.length} versions were not deleted (first: ${first?.Key} ${first?.Code}). Check the permissions, then retry.`);
    }
    deleted += objects.length;
    onProgress?.(deleted);
  }
}

/** Deletes a bucket; with `empty` it first removes every version (the caller has confirmed that). */
export async function deleteBucket(client: S3Client, bucket: string, opts: { empty?: boolean; signal?: AbortSignal } = {}): Promise<void> {
  if (opts.empty) await emptyBucket(client, bucket, opts.signal);
  await s3Call({ action: 'delete', bucket }, () => client.send(new DeleteBucketCommand({ Bucket: bucket }), { abortSignal: opts.signal }));
}
