import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import { localDateTime, shortVersionId } from '../../core/timeText';

export const S3_SCHEME = 'storage-s3';

export interface S3Location {
  connectionId: string;
  bucket: string;
  /** '' for the bucket itself; no leading slash. */
  key: string;
  versionId?: string;
}

/** What a version's URI carries besides its id: its time, for the tab title. */
export interface S3VersionLabel {
  /** ISO time of the version, when known. */
  lastModified?: string;
}

/**
 * `storage-s3://<connectionId>/<bucket>/<key>`; a version adds a JSON query
 * `{"versionId":..., "at":" @ 2026-12-01 14:03 (3c268f51)", "of":"version <id> of "}` because the
 * label formatter of package.json (`${query.of}s3:/${path}${query.at}`) reads only JSON queries:
 * the tab reads `key @ 2026-12-01 14:03 (3c268f51)` and its tooltip names the full id.
 */
export function s3Uri(loc: S3Location & S3VersionLabel): vscode.Uri {
  const path = `/${loc.bucket}${loc.key === '' ? '' : `/${loc.key}`}`;
  return vscode.Uri.from({ scheme: S3_SCHEME, authority: loc.connectionId, path, query: loc.versionId ? versionQuery(loc.versionId, loc.lastModified) : '' });
}

function versionQuery(versionId: string, lastModified: string | undefined): string {
  const when = lastModified ? new Date(lastModified) : undefined;
  // A slash would split the formatted label, whose last segment is the tab title.
  const short = shortVersionId(versionId).replace(/\//g, '∕');
  const at = when && !Number.isNaN(when.getTime()) ? ` @ ${localDateTime(when)} (${short})` : ` @ version ${short}`;
  return JSON.stringify({ versionId, at, of: `version ${versionId} of ` });
}

function jsonQuery(query: string): Record<string, unknown> | undefined {
  if (!query.startsWith('{') || !query.endsWith('}')) return undefined;
  try {
    const q: unknown = JSON.parse(query);
    return q && typeof q === 'object' && !Array.isArray(q) ? (q as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads both query shapes: the JSON one s3Uri writes and `versionId=...` (typed or older links). */
function versionIdOf(query: string): string | undefined {
  const json = jsonQuery(query);
  if (json) return typeof json.versionId === 'string' && json.versionId !== '' ? json.versionId : undefined;
  return new URLSearchParams(query).get('versionId') || undefined;
}

export function parseS3Uri(uri: vscode.Uri): S3Location {
  if (uri.scheme !== S3_SCHEME) throw storageError('BadInput', `uri: ${uri.toString()} is not a ${S3_SCHEME}: URI.`);
  const rest = uri.path.replace(/^\//, '');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  if (!uri.authority || !bucket) throw storageError('BadInput', `uri: ${uri.toString()} names no connection or bucket.`);
  const versionId = versionIdOf(uri.query);
  return { connectionId: uri.authority, bucket, key, ...(versionId ? { versionId } : {}) };
}

/** True for the URI of one version (read-only), false for the latest object. */
export function isVersionUri(uri: vscode.Uri): boolean {
  return uri.scheme === S3_SCHEME && versionIdOf(uri.query) !== undefined;
}

/** What users see and paste: s3://bucket/key. */
export function s3UriText(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
