/** Plain data shared by the S3 services, the tree and the file system provider. */

/** How a connection proves who it is. Access keys come from SecretStorage, never settings. */
export type S3Credentials =
  | { kind: 'keys'; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { kind: 'profile'; profile: string }
  /** The standard chain: environment, shared files, SSO, container and instance roles. */
  | { kind: 'default' };

export interface S3ConnectionOptions {
  /** Empty or undefined means AWS itself. */
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  credentials: S3Credentials;
  /** Milliseconds to open a TCP connection before giving up (default 3000). */
  connectTimeoutMs?: number;
  /** Milliseconds of socket silence before a request fails (default 30000). */
  requestTimeoutMs?: number;
  /** Attempts per request including the first (default 3). */
  maxAttempts?: number;
}

export interface ObjectSummary {
  key: string;
  size: number;
  lastModified?: Date;
  etag?: string;
  storageClass?: string;
}

export interface ListPage {
  prefixes: string[];
  objects: ObjectSummary[];
  /** Present when more keys follow; pass it back to get the next page. */
  nextToken?: string;
}

export interface VersionEntry {
  key: string;
  versionId: string;
  isLatest: boolean;
  isDeleteMarker: boolean;
  lastModified?: Date;
  size: number;
  etag?: string;
  storageClass?: string;
}

/** Every version and delete marker of one key, newest first. */
export interface KeyVersions {
  key: string;
  versions: VersionEntry[];
  /** The latest entry is a delete marker: the object looks deleted but can be brought back. */
  deleted: boolean;
}

export interface VersionsCursor {
  keyMarker: string;
  versionIdMarker?: string;
}

export interface VersionsPage {
  prefixes: string[];
  keys: KeyVersions[];
  next?: VersionsCursor;
}

export interface ObjectHead {
  key: string;
  versionId?: string;
  size: number;
  etag?: string;
  lastModified?: Date;
  contentType?: string;
  storageClass?: string;
  metadata: Record<string, string>;
  checksums: Record<string, string>;
}

export type VersioningStatus = 'Enabled' | 'Suspended' | 'Never';
