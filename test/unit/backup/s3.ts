import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { createS3Client } from '../../../src/core/s3/client';
import { S3Backend } from '../../../src/core/backup/s3Backend';

export const endpoint = process.env.SI_S3_ENDPOINT;
export const S3_SKIP = endpoint ? false : 'SI_S3_ENDPOINT is unset; run under scripts/moto.sh run';

export function s3Client() {
  return createS3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 2,
    credentials: { kind: 'keys', accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'testing', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing' },
  });
}

/** A fresh bucket and prefix; `url` is how restic names the same place. */
export async function s3Repo(tag: string): Promise<{ backend: S3Backend; url: string }> {
  const c = s3Client();
  const bucket = `si-restic-${tag}-${randomBytes(4).toString('hex')}`;
  await c.send(new CreateBucketCommand({ Bucket: bucket }));
  return { backend: new S3Backend(c, bucket, 'backups/repo'), url: `s3:${endpoint}/${bucket}/backups/repo` };
}
