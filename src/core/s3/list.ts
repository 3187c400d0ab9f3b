import { ListObjectsV2Command, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { storageError } from '../errors';
import { s3Call } from './errors';
import { listedDecoder } from './urlEncoding';
import type { KeyVersions, ListPage, VersionEntry, VersionsCursor, VersionsPage } from './types';

/** S3's own maximum per request; the tree's first page is exactly one request. */
export const PAGE_SIZE = 1000;

export interface ListOptions {
  bucket: string;
  prefix?: string;
  /** `/` groups keys into folders; '' lists every key under the prefix. */
  delimiter?: string;
  maxKeys?: number;
  signal?: AbortSignal;
}

function checkMaxKeys(maxKeys: number | undefined): number {
  const n = maxKeys ?? PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > PAGE_SIZE) throw storageError('BadInput', `maxKeys: must be an integer from 1 to ${PAGE_SIZE}, got ${n}.`);
  return n;
}

/** What both listings ask: bucket, prefix, delimiter, page size, and URL-encoded keys (a CR survives). */
function listParams(o: ListOptions): { Bucket: string; Prefix?: string; Delimiter?: string; MaxKeys: number; EncodingType: 'url' } {
  const delimiter = o.delimiter ?? '/';
  return { Bucket: o.bucket, Prefix: o.prefix || undefined, Delimiter: delimiter || undefined, MaxKeys: checkMaxKeys(o.maxKeys), EncodingType: 'url' };
}

/** One ListObjectsV2 request. */
export async function listPage(client: S3Client, o: ListOptions & { continuationToken?: string }): Promise<ListPage> {
  const out = await s3Call({ action: 'list', bucket: o.bucket }, () =>
    client.send(
      new ListObjectsV2Command({ ...listParams(o), ContinuationToken: o.continuationToken }),
      { abortSignal: o.signal },
    ),
  );
  const dec = listedDecoder(out.EncodingType);
  return {
    prefixes: (out.CommonPrefixes ?? []).flatMap((p) => (p.Prefix === undefined ? [] : [dec(p.Prefix)])),
    objects: (out.Contents ?? []).flatMap((c) =>
      c.Key === undefined ? [] : [{ key: dec(c.Key), size: c.Size ?? 0, lastModified: c.LastModified, etag: c.ETag, storageClass: c.StorageClass }],
    ),
    ...(out.IsTruncated && out.NextContinuationToken ? { nextToken: out.NextContinuationToken } : {}),
  };
}

/** Every page, lazily; memory stays at one page unless the caller keeps them. */
export async function* listAll(client: S3Client, o: ListOptions): AsyncGenerator<ListPage> {
  let token: string | undefined;
  do {
    const page = await listPage(client, { ...o, continuationToken: token });
    yield page;
    token = page.nextToken;
  } while (token !== undefined);
}

/** Groups versions and delete markers per key, newest first (S3 already sorts them so within a key). */
export function groupVersions(entries: readonly VersionEntry[]): KeyVersions[] {
  const byKey = new Map<string, VersionEntry[]>();
  for (const e of entries) {
    const list = byKey.get(e.key);
    if (list) list.push(e);
    else byKey.set(e.key, [e]);
  }
  const out: KeyVersions[] = [];
  for (const [key, versions] of byKey) {
    // Sort by time, keeping the server's "latest" first when times tie (same-second writes).
    versions.sort((a, b) => Number(b.isLatest) - Number(a.isLatest) || (b.lastModified?.getTime() ?? 0) - (a.lastModified?.getTime() ?? 0));
    out.push({ key, versions, deleted: versions[0]?.isLatest === true && versions[0].isDeleteMarker });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** One ListObjectVersions request: versions and delete markers merged per key. */
export async function listVersionsPage(client: S3Client, o: ListOptions & { cursor?: VersionsCursor }): Promise<VersionsPage> {
  const out = await s3Call({ action: 'list the versions in', bucket: o.bucket }, () =>
    client.send(
      new ListObjectVersionsCommand({ ...listParams(o), KeyMarker: o.cursor?.keyMarker, VersionIdMarker: o.cursor?.versionIdMarker }),
      { abortSignal: o.signal },
    ),
  );
  const dec = listedDecoder(out.EncodingType);
  const entries: VersionEntry[] = [];
  for (const v of out.Versions ?? []) {
    if (v.Key === undefined) continue;
    entries.push({ key: dec(v.Key), versionId: v.VersionId ?? 'null', isLatest: v.IsLatest === true, isDeleteMarker: false, lastModified: v.LastModified, size: v.Size ?? 0, etag: v.ETag, storageClass: v.StorageClass });
  }
  for (const m of out.DeleteMarkers ?? []) {
    if (m.Key === undefined) continue;
    entries.push({ key: dec(m.Key), versionId: m.VersionId ?? 'null', isLatest: m.IsLatest === true, isDeleteMarker: true, lastModified: m.LastModified, size: 0 });
  }
  const next =
    out.IsTruncated && out.NextKeyMarker !== undefined
      ? { keyMarker: dec(out.NextKeyMarker), ...(out.NextVersionIdMarker ? { versionIdMarker: out.NextVersionIdMarker } : {}) }
      : undefined;
  return {
    prefixes: (out.CommonPrefixes ?? []).flatMap((p) => (p.Prefix === undefined ? [] : [dec(p.Prefix)])),
    keys: groupVersions(entries),
    ...(next ? { next } : {}),
  };
}

/** All versions of one key, newest first (pages until the key is done). */
export async function listKeyVersions(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<KeyVersions> {
  const all: VersionEntry[] = [];
  let cursor: VersionsCursor | undefined;
  do {
    // Prefix = key also returns longer keys; keep only the exact one.
    const page = await listVersionsPage(client, { bucket, prefix: key, delimiter: '', cursor, signal });
    for (const k of page.keys) if (k.key === key) all.push(...k.versions);
    cursor = page.next;
    if (cursor && cursor.keyMarker > key) break;
  } while (cursor);
  return groupVersions(all)[0] ?? { key, versions: [], deleted: false };
}
