import type { S3Client } from '@aws-sdk/client-s3';
import { cancelled, storageError } from '../errors';
import { DELETE_BATCH, deleteBatch, type DeleteFailure, type DeleteTarget } from './deleteBatch';
import { listVersionsPage } from './list';
import type { VersionsCursor } from './types';

export interface PrefixDeleteResult {
  /** Versions and delete markers removed. */
  deleted: number;
  failed: DeleteFailure[];
  /** DeleteObjects requests sent. */
  requests: number;
}

/** A prefix that names a folder or the key's start, never the whole bucket by accident. */
export function checkPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || prefix === '') {
    throw storageError('BadInput', 'prefix: a prefix is needed; to remove everything, delete the bucket with its typed confirmation.');
  }
}

/**
 * Permanently deletes every version and delete marker whose key starts with `prefix` (in an
 * unversioned bucket: every object, whose one version is "null"). Lists in pages and deletes in
 * full batches of 1000, so N versions take ceil(N / 1000) DeleteObjects requests. Keys the
 * server refuses are collected, not retried, and the rest go on.
 */
export async function deletePrefixVersions(
  client: S3Client,
  o: { bucket: string; prefix: string; signal?: AbortSignal; onProgress?: (deleted: number, failed: number) => void },
): Promise<PrefixDeleteResult> {
  checkPrefix(o.prefix);
  const result: PrefixDeleteResult = { deleted: 0, failed: [], requests: 0 };
  const pending: DeleteTarget[] = [];
  const flush = async () => {
    const batch = pending.splice(0, DELETE_BATCH);
    if (batch.length === 0) return;
    if (o.signal?.aborted) throw cancelled(`Deleting s3://${o.bucket}/${o.prefix}`);
    result.requests++;
    const out = await deleteBatch(client, o.bucket, batch, o.signal);
    result.deleted += out.deleted;
    result.failed.push(...out.failed);
    o.onProgress?.(result.deleted, result.failed.length);
  };
  // A page's entries are deleted only after the next page is listed: the next listing starts
  // at a marker that still exists (some servers lose their place when the marker is gone), and
  // a key that keeps failing is not met again.
  let cursor: VersionsCursor | undefined;
  let previous: DeleteTarget[] = [];
  do {
    if (o.signal?.aborted) throw cancelled(`Deleting s3://${o.bucket}/${o.prefix}`);
    const page = await listVersionsPage(client, { bucket: o.bucket, prefix: o.prefix, delimiter: '', signal: o.signal, ...(cursor ? { cursor } : {}) });
    pending.push(...previous);
    previous = page.keys.flatMap((k) => k.versions.map((v) => ({ key: k.key, versionId: v.versionId })));
    while (pending.length >= DELETE_BATCH) await flush();
    cursor = page.next;
  } while (cursor);
  pending.push(...previous);
  while (pending.length > 0) await flush();
  return result;
}

/** How many versions and delete markers sit under a prefix (for the confirmation), up to `limit`. */
export async function countPrefixVersions(client: S3Client, bucket: string, prefix: string, limit = 10_000, signal?: AbortSignal): Promise<{ versions: number; keys: number; more: boolean }> {
  let versions = 0;
  const keys = new Set<string>();
  let cursor: VersionsCursor | undefined;
  do {
    const page = await listVersionsPage(client, { bucket, prefix, delimiter: '', signal, ...(cursor ? { cursor } : {}) });
    for (const k of page.keys) {
      keys.add(k.key);
      versions += k.versions.length;
    }
    cursor = page.next;
  } while (cursor && versions < limit);
  return { versions, keys: keys.size, more: cursor !== undefined };
}
