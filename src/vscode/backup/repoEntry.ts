/** One entry of `storageInspector.backup.repositories`; nothing secret lives here. */
export interface BackupRepo {
  id: string;
  name: string;
  /** A repository folder, or... */
  path?: string;
  /** ...a prefix in a bucket of an S3 connection. */
  s3?: { connectionId: string; bucket: string; prefix?: string };
  /** restic's --password-file and --password-command; else the password is in the secret storage. */
  passwordFile?: string;
  passwordCommand?: string;
}

/** Where a repository is, for labels and messages: a path or s3://bucket/prefix. */
export function whereOf(r: BackupRepo): string {
  if (r.s3) return `s3://${r.s3.bucket}/${r.s3.prefix ?? ''}`;
  return r.path ?? '';
}
