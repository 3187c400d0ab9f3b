import type { VersioningStatus, VersionsCursor } from '../../core/s3/types';

/** Tree elements are plain data; getTreeItem renders them and commands receive them. */
export type S3Node =
  | { kind: 's3Connection'; connectionId: string }
  | { kind: 's3Bucket'; connectionId: string; bucket: string; versioning?: VersioningStatus }
  | { kind: 's3Prefix'; connectionId: string; bucket: string; prefix: string; versioned: boolean }
  | {
      kind: 's3Object';
      connectionId: string;
      bucket: string;
      key: string;
      versioned: boolean;
      size?: number;
      lastModified?: string;
      etag?: string;
      storageClass?: string;
      /** The latest version is a delete marker (shown only with "show deleted"). */
      deleted?: boolean;
    }
  | {
      kind: 's3Version';
      connectionId: string;
      bucket: string;
      key: string;
      versionId: string;
      isLatest: boolean;
      isDeleteMarker: boolean;
      size?: number;
      lastModified?: string;
    }
  | { kind: 's3LoadMore'; parentId: string; token: string | VersionsCursor }
  | { kind: 's3Error'; parentId: string; message: string };

export type S3ObjectNode = Extract<S3Node, { kind: 's3Object' }>;
export type S3VersionNode = Extract<S3Node, { kind: 's3Version' }>;
export type S3BucketNode = Extract<S3Node, { kind: 's3Bucket' }>;
/** A row that stands for something in S3 (not a "Load more..." or error row). */
export type S3RowNode = Exclude<S3Node, { kind: 's3LoadMore' | 's3Error' }>;
export type S3ContainerNode = S3BucketNode | Extract<S3Node, { kind: 's3Prefix' }>;

/** A stable id: the tree keeps expansion state by it, and pages are cached under it. */
export function nodeId(n: S3Node): string {
  switch (n.kind) {
    case 's3Connection':
      return `c:${n.connectionId}`;
    case 's3Bucket':
      return `b:${n.connectionId}/${n.bucket}`;
    case 's3Prefix':
      return `p:${n.connectionId}/${n.bucket}/${n.prefix}`;
    case 's3Object':
      return `o:${n.connectionId}/${n.bucket}/${n.key}`;
    case 's3Version':
      return `v:${n.connectionId}/${n.bucket}/${n.key}@${n.versionId}`;
    case 's3LoadMore':
      return `more:${n.parentId}`;
    case 's3Error':
      return `err:${n.parentId}`;
  }
}

/** The last path segment of a key or prefix, for labels. */
export function baseName(keyOrPrefix: string): string {
  const trimmed = keyOrPrefix.endsWith('/') ? keyOrPrefix.slice(0, -1) : keyOrPrefix;
  const i = trimmed.lastIndexOf('/');
  return (i < 0 ? trimmed : trimmed.slice(i + 1)) + (keyOrPrefix.endsWith('/') ? '/' : '');
}

/**
 * The node a row sits under, from its own fields, so "Reveal" can expand down to it. The tree
 * finds rows by id, so a parent made here stands for the listed one (its other fields may differ).
 */
export function parentOf(n: S3Node): S3Node | undefined {
  switch (n.kind) {
    case 's3Connection':
    case 's3LoadMore':
    case 's3Error':
      return undefined;
    case 's3Bucket':
      return { kind: 's3Connection', connectionId: n.connectionId };
    case 's3Version':
      return { kind: 's3Object', connectionId: n.connectionId, bucket: n.bucket, key: n.key, versioned: true };
    case 's3Prefix':
    case 's3Object': {
      const path = n.kind === 's3Prefix' ? n.prefix.replace(/\/$/, '') : n.key;
      const cut = path.lastIndexOf('/');
      if (cut < 0) return { kind: 's3Bucket', connectionId: n.connectionId, bucket: n.bucket };
      return { kind: 's3Prefix', connectionId: n.connectionId, bucket: n.bucket, prefix: path.slice(0, cut + 1), versioned: n.versioned };
    }
  }
}
