import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { storageError } from '../errors';
import { s3Call } from './errors';

/** S3's ceiling on keys per DeleteObjects request. */
export const DELETE_BATCH = 1000;

export interface DeleteTarget {
  key: string;
  /** Omitted: the current object (a delete marker in a versioned bucket). Given: that version, for good. */
  versionId?: string;
}

/** One key the server refused to delete, and why in its words. */
export interface DeleteFailure extends DeleteTarget {
  code: string;
  message: string;
}

export interface BatchOutcome {
  deleted: number;
  failed: DeleteFailure[];
}

/** What the server's per-key error code means for the user. */
export function deleteFailureText(code: string, serverMessage?: string): string {
  switch (code) {
    case 'AccessDenied':
      return 'access denied: the connection lacks s3:DeleteObject (or s3:DeleteObjectVersion) here';
    case 'NoSuchVersion':
      return 'that version no longer exists (deleted by someone else)';
    case 'InvalidArgument':
      return 'the server refused the key or version id as invalid';
    default:
      return `${code}${serverMessage ? `: ${serverMessage}` : ''}; retry, and check the permissions if it keeps failing`;
  }
}

/**
 * Deletes up to 1000 keys (or versions) in one DeleteObjects request. Per-key refusals come back
 * in the result, not as a throw; only a failure of the whole request throws.
 */
export async function deleteBatch(client: S3Client, bucket: string, targets: readonly DeleteTarget[], signal?: AbortSignal): Promise<BatchOutcome> {
  if (targets.length === 0) return { deleted: 0, failed: [] };
  if (targets.length > DELETE_BATCH) throw storageError('BadInput', `targets: at most ${DELETE_BATCH} per request, got ${targets.length}.`);
  const out = await s3Call({ action: 'delete objects in', bucket }, () =>
    client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        // Quiet: the answer lists only the failures, so it stays small.
        Delete: { Objects: targets.map((t) => ({ Key: t.key, ...(t.versionId !== undefined ? { VersionId: t.versionId } : {}) })), Quiet: true },
      }),
      { abortSignal: signal },
    ),
  );
  const failed = (out.Errors ?? []).map((e) => ({
    key: e.Key ?? '',
    ...(e.VersionId ? { versionId: e.VersionId } : {}),
    code: e.Code ?? 'Unknown',
    message: deleteFailureText(e.Code ?? 'Unknown', e.Message),
  }));
  return { deleted: targets.length - failed.length, failed };
}
