import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import type { S3Node } from './nodes';
import { parseS3Uri, S3_SCHEME } from './uri';

export interface ObjectTarget {
  connectionId: string;
  bucket: string;
  key: string;
  versionId?: string;
}

/** Accepts a tree node, a storage-s3 URI or plain {connectionId, bucket, key, versionId?}. */
export function objectTarget(arg: unknown, what = 'an object'): ObjectTarget {
  if (arg instanceof vscode.Uri && arg.scheme === S3_SCHEME) return parseS3Uri(arg);
  const n = arg as Partial<S3Node & ObjectTarget> | undefined;
  if (n && typeof n.connectionId === 'string' && typeof n.bucket === 'string' && typeof n.key === 'string') {
    const versionId = (n as { versionId?: unknown }).versionId;
    return { connectionId: n.connectionId, bucket: n.bucket, key: n.key, ...(typeof versionId === 'string' ? { versionId } : {}) };
  }
  throw storageError('BadInput', `Run this on ${what} in the S3 view.`);
}

export function bucketTarget(arg: unknown): { connectionId: string; bucket: string } {
  const n = arg as { connectionId?: unknown; bucket?: unknown } | undefined;
  if (n && typeof n.connectionId === 'string' && typeof n.bucket === 'string') return { connectionId: n.connectionId, bucket: n.bucket };
  throw storageError('BadInput', 'Run this on a bucket in the S3 view.');
}

export function connectionTarget(arg: unknown): string | undefined {
  const n = arg as { connectionId?: unknown } | undefined;
  return n && typeof n.connectionId === 'string' ? n.connectionId : undefined;
}
