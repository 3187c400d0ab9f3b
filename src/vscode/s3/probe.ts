import type { S3Client } from '@aws-sdk/client-s3';
import { s3 } from '../lazy';

const count = (n: number, one: string, many: string, more = false) => `${more ? 'more than ' : ''}${n} ${n === 1 ? one : many}`;

/** "3 folders, 0 objects at the top of bucket x": what the first page of a bucket's top level holds. */
export async function topLevel(client: S3Client, bucket: string): Promise<string> {
  const page = await s3().listPage(client, { bucket, maxKeys: 1000 });
  const more = page.nextToken !== undefined;
  return `${count(page.prefixes.length, 'folder', 'folders', more)}, ${count(page.objects.length, 'object', 'objects', more)} at the top of bucket ${bucket}`;
}

/** Lists the buckets and the first one's top level; throws what failed. */
export async function probe(client: S3Client): Promise<{ buckets: string[]; text: string }> {
  const buckets = (await s3().listBuckets(client)).map((b) => b.name);
  const first = buckets[0];
  const text = `${count(buckets.length, 'bucket', 'buckets')}${first === undefined ? '' : `; ${await topLevel(client, first)}`}`;
  return { buckets, text };
}
