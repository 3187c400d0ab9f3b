import * as vscode from 'vscode';
import { storageError } from '../../core/errors';

export const S3_SCHEME = 'storage-s3';

export interface S3Location {
  connectionId: string;
  bucket: string;
  /** '' for the bucket itself; no leading slash. */
  key: string;
  versionId?: string;
}

/** `storage-s3://<connectionId>/<bucket>/<key>[?versionId=...]`. */
export function s3Uri(loc: S3Location): vscode.Uri {
  const path = `/${loc.bucket}${loc.key === '' ? '' : `/${loc.key}`}`;
  return vscode.Uri.from({ scheme: S3_SCHEME, authority: loc.connectionId, path, query: loc.versionId ? `versionId=${encodeURIComponent(loc.versionId)}` : '' });
}

export function parseS3Uri(uri: vscode.Uri): S3Location {
  if (uri.scheme !== S3_SCHEME) throw storageError('BadInput', `uri: ${uri.toString()} is not a ${S3_SCHEME}: URI.`);
  const rest = uri.path.replace(/^\//, '');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  if (!uri.authority || !bucket) throw storageError('BadInput', `uri: ${uri.toString()} names no connection or bucket.`);
  const versionId = new URLSearchParams(uri.query).get('versionId') ?? undefined;
  return { connectionId: uri.authority, bucket, key, ...(versionId ? { versionId } : {}) };
}

/** What users see and paste: s3://bucket/key. */
export function s3UriText(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
