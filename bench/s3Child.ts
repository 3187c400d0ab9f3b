// Child process of the S3 bench: one operation, then its peak RSS, so the figure is that
// operation's memory alone. Usage: node s3Child.js idle|list <bucket> <prefix> | upload <bucket> <key> <file> [partMiB queue] | download <bucket> <key> <folder> <name>
import { createS3Client, downloadObject, FILE_UPLOAD_DEFAULTS, listAll, uploadObject } from '../src/core/s3';

async function main(): Promise<void> {
  const [mode, bucket, a, b, c] = process.argv.slice(2) as [string, string, string, string?, string?];
  const client = createS3Client({
    endpoint: process.env.SI_S3_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    requestTimeoutMs: 120_000,
    credentials: { kind: 'keys', accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'testing', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing' },
  });
  const started = performance.now();
  let count = 0;
  if (mode === 'idle') {
    // The floor: node, tsx and the SDK loaded, one tiny request.
    await listAll(client, { bucket, prefix: a, maxKeys: 1 }).next();
  } else if (mode === 'list') {
    // What the tree keeps is what is expanded; here nothing is kept, as when pages scroll past.
    for await (const page of listAll(client, { bucket, prefix: a, delimiter: '' })) count += page.objects.length;
  } else if (mode === 'upload') {
    // No knobs: the product's defaults; the sweep passes part size (MiB) and parts in flight.
    const partSize = c ? Number(c) * 1024 * 1024 : FILE_UPLOAD_DEFAULTS.partSize;
    const queueSize = process.argv[7] ? Number(process.argv[7]) : FILE_UPLOAD_DEFAULTS.queueSize;
    await uploadObject(client, { bucket, key: a, body: b!, partSize, queueSize });
  } else if (mode === 'download') {
    count = (await downloadObject(client, { bucket, key: a, folder: b!, fileName: c!, overwrite: true })).bytes;
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, count, maxRssKB: process.resourceUsage().maxRSS }) + '\n');
  client.destroy();
}

void main();
