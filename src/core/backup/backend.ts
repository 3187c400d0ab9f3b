/** The kinds of files a restic repository holds, named as its folders are. */
export type FileType = 'config' | 'keys' | 'snapshots' | 'index' | 'data' | 'locks';

export interface FileInfo {
  name: string;
  size: number;
}

/**
 * Where a repository's files live (a local folder, an S3 prefix). Files are written once and
 * never changed, so `write` is create-only: it fails with Exists rather than replace a file.
 */
export interface Backend {
  /** For messages: a path or s3://bucket/prefix, never a credential. */
  readonly label: string;
  list(type: FileType): Promise<FileInfo[]>;
  /**
   * The whole file, or `length` bytes from `offset` (a negative offset counts from the end).
   * `into` is a buffer the caller no longer needs: a backend may read into it when it is large
   * enough (the result is then a view of its start) instead of new memory; none has to.
   */
  read(type: FileType, name: string, range?: { offset: number; length: number }, into?: Uint8Array): Promise<Uint8Array>;
  size(type: FileType, name: string): Promise<number>;
  /** Durable before it resolves (fsync for a folder); create-only. Given parts, the file is their concatenation. */
  write(type: FileType, name: string, data: Uint8Array | readonly Uint8Array[]): Promise<void>;
  remove(type: FileType, name: string): Promise<void>;
  exists(type: FileType, name: string): Promise<boolean>;
  /** Lays out an empty repository's folders (restic's init does; object stores need none). */
  create?(): Promise<void>;
}

/** `data/ab/abcdef...` as restic lays files out; config sits at the top. */
export function relativePath(type: FileType, name: string): string {
  if (type === 'config') return 'config';
  if (type === 'data') return `data/${name.slice(0, 2)}/${name}`;
  return `${type}/${name}`;
}
