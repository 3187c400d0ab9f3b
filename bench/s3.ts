// S3 bench against a local moto (run it through scripts/moto.sh): first page and full listing of a
// big prefix, and streaming upload/download of a big object next to `aws s3 cp`.
//   bash scripts/moto.sh run node --import tsx bench/s3.ts      (BENCH_QUICK=1 shrinks the data)
import { execFileSync, spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createBucket, createS3Client, FILE_UPLOAD_DEFAULTS, listPage } from '../src/core/s3';
import { line, median } from './report';

const quick = process.env.BENCH_QUICK === '1';
const endpoint = process.env.SI_S3_ENDPOINT;
const KEYS = quick ? 2_500 : 50_000;
const BIG = quick ? 64 * 1024 * 1024 : 1024 * 1024 * 1024;
const ROUNDS = 3;
const RSS_LIMIT_MB = 256;
/** The upload's promise (issue 11): peak RSS under 128 MB for 1 GiB. */
const UPLOAD_RSS_LIMIT_MB = 128;
const root = path.resolve(__dirname, '..');
const data = path.join(root, 'bench-data', 's3');
const env = { ...process.env, AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'testing', AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing', AWS_DEFAULT_REGION: 'us-east-1' };

const client = createS3Client({
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { kind: 'keys', accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
});

/**
 * The child runs bundled and minified, as the extension's dist/s3.js does: under tsx the loader
 * alone adds about 18 MB to every peak RSS figure.
 */
const childJs = path.join(root, 'bench-data', 's3Child.js'); // not out/: the build wipes that
buildSync({ entryPoints: [path.join(__dirname, 's3Child.ts')], bundle: true, minify: true, platform: 'node', target: 'node20', outfile: childJs, logLevel: 'error' });

function child(...args: string[]): { ms: number; count: number; maxRssKB: number } {
  const out = execFileSync(process.execPath, [childJs, ...args], { env, cwd: root });
  return JSON.parse(out.toString().trim().split('\n').pop()!) as { ms: number; count: number; maxRssKB: number };
}

/** Wall time and peak RSS of another program, from GNU time. */
function timedRss(cmd: string, args: string[]): { ms: number; maxRssKB: number } {
  const t = performance.now();
  const out = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t;
  if (out.status !== 0) throw new Error(`${cmd} failed: ${out.stderr.toString()}`);
  return { ms, maxRssKB: Number(out.stderr.toString().trim().split('\n').pop()) };
}

function timed(run: () => void): number {
  const t = performance.now();
  run();
  return performance.now() - t;
}

const aws = (...args: string[]) => execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint!, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const mbps = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(0);

async function putKeys(bucket: string, n: number): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: 48 }, async () => {
      while (i < n) {
        const k = i++;
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: `many/k${String(k).padStart(6, '0')}`, Body: 'x' }));
      }
    }),
  );
}

/** moto keeps objects in memory: each 1 GiB round's object goes before the next round. */
async function dropObject(bucket: string, key: string): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

async function bigFile(file: string, size: number): Promise<void> {
  if (existsSync(file) && statSync(file).size === size) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  const block = randomBytes(1 << 20);
  for (let w = 0; w < size; w += block.length) if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((r) => out.end(() => r()));
}

async function listing(bucket: string): Promise<void> {
  let t = performance.now();
  await putKeys(bucket, KEYS);
  console.log(`s3.setup: ${KEYS} keys put in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // First page: exactly one request, counted by middleware.
  let requests = 0;
  client.middlewareStack.add((next) => (args) => (requests++, next(args)), { step: 'finalizeRequest', name: 'benchCount' });
  const firstMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    requests = 0;
    t = performance.now();
    const page = await listPage(client, { bucket, prefix: 'many/' });
    firstMs.push(performance.now() - t);
    if (page.objects.length !== 1000 || requests !== 1) throw new Error(`first page: ${page.objects.length} keys in ${requests} requests`);
  }
  const awsFirst = median(Array.from({ length: ROUNDS }, () => timed(() => aws('s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'many/', '--max-items', '1000', '--page-size', '1000'))));
  line('s3.list first page', `${median(firstMs).toFixed(0)} ms, 1 request, 1000 keys`, `aws s3api list-objects-v2 --max-items 1000: ${awsFirst.toFixed(0)} ms (process incl.)`, `${(awsFirst / median(firstMs)).toFixed(1)}x (time ratio aws/ours)`);

  const idleMB = median(Array.from({ length: ROUNDS }, () => child('idle', bucket, 'many/').maxRssKB)) / 1024;
  const full = Array.from({ length: ROUNDS }, () => child('list', bucket, 'many/'));
  if (full.some((f) => f.count !== KEYS)) throw new Error('the full listing missed keys');
  const awsFull = median(Array.from({ length: ROUNDS }, () => timed(() => aws('s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'many/', '--query', 'length(Contents)'))));
  const fullMs = median(full.map((f) => f.ms));
  line(
    `s3.list full ${KEYS} keys`,
    `${fullMs.toFixed(0)} ms in ${Math.ceil(KEYS / 1000)} requests, peak RSS ${(median(full.map((f) => f.maxRssKB)) / 1024).toFixed(0)} MB (${idleMB.toFixed(0)} MB after one request)`,
    `aws s3api list-objects-v2: ${awsFull.toFixed(0)} ms`,
    `${(awsFull / fullMs).toFixed(2)}x (time ratio aws/ours)`,
  );
}

function downloads(bucket: string): void {
  const dl = path.join(data, 'dl');
  const down = Array.from({ length: ROUNDS }, () => child('download', bucket, 'big.bin', dl, 'ours.bin'));
  if (down.some((d) => d.count !== BIG)) throw new Error('a download came back short');
  const awsDown = median(Array.from({ length: ROUNDS }, () => timed(() => aws('s3', 'cp', '--only-show-errors', `s3://${bucket}/big.bin`, path.join(dl, 'aws.bin')))));
  // `aws s3 cp` downloads in ranged parts, which moto serves slowly; one plain GET is the fairer peer.
  const awsGet = median(Array.from({ length: ROUNDS }, () => timed(() => aws('s3api', 'get-object', '--bucket', bucket, '--key', 'big.bin', path.join(dl, 'aws-get.bin')))));
  const downMs = median(down.map((d) => d.ms));
  const downRss = Math.max(...down.map((d) => d.maxRssKB)) / 1024;
  line(`s3.download ${BIG >> 20} MiB streaming`, `${mbps(BIG, downMs)} MB/s, peak RSS ${downRss.toFixed(0)} MB`, `aws s3 cp: ${mbps(BIG, awsDown)} MB/s, aws s3api get-object: ${mbps(BIG, awsGet)} MB/s`, `ratio ${(awsGet / downMs).toFixed(2)}x vs get-object, RSS ${downRss <= RSS_LIMIT_MB ? 'within' : 'OVER'} ${RSS_LIMIT_MB} MB`);
  rmSync(dl, { recursive: true, force: true });
}

async function main(): Promise<void> {
  if (!endpoint) throw new Error('SI_S3_ENDPOINT is unset; run through scripts/moto.sh run');
  const bucket = `bench-${Date.now()}`;
  await createBucket(client, bucket);
  // BENCH_S3_ONLY=upload: the upload figures alone (the knob sweep runs in minutes, not tens).
  const only = process.env.BENCH_S3_ONLY;
  if (only !== 'upload') await listing(bucket);

  // Big object, streamed both ways; each round in a fresh process for a clean peak RSS.
  const file = path.join(data, `big-${BIG}.bin`);
  await bigFile(file, BIG);
  // Ours and `aws s3 cp` alternate round by round, so a busy machine slows both alike.
  const up: { ms: number; maxRssKB: number }[] = [];
  const awsUpRounds: { ms: number; maxRssKB: number }[] = [];
  let awsFailures = 0;
  for (let r = 0; r < ROUNDS; r++) {
    up.push(child('upload', bucket, 'big.bin', file));
    await dropObject(bucket, 'big.bin');
    // moto takes over the CLI's 60 s read timeout to complete 1 GiB with the CLI's full-object
    // checksum on a busy machine; the CLI then retries a finished upload and gets a 500. A longer
    // read timeout changes nothing else; a round that still fails is run again and counted.
    for (let attempt = 1; ; attempt++) {
      try {
        awsUpRounds.push(timedRss('/usr/bin/aws', ['--endpoint-url', endpoint!, '--cli-read-timeout', '300', 's3', 'cp', '--only-show-errors', file, `s3://${bucket}/big-aws.bin`]));
        break;
      } catch (e) {
        awsFailures++;
        if (attempt === 3) throw e;
      }
    }
    await dropObject(bucket, 'big-aws.bin');
  }
  const awsUp = median(awsUpRounds.map((a) => a.ms));
  const awsUpRss = Math.max(...awsUpRounds.map((a) => a.maxRssKB)) / 1024;
  const upMs = median(up.map((u) => u.ms));
  const upRss = Math.max(...up.map((u) => u.maxRssKB)) / 1024;
  const knobs = `${FILE_UPLOAD_DEFAULTS.partSize >> 20} MiB parts, ${FILE_UPLOAD_DEFAULTS.queueSize} in flight`;
  line(
    `s3.upload ${BIG >> 20} MiB multipart (${knobs})`,
    `${mbps(BIG, upMs)} MB/s, peak RSS ${upRss.toFixed(0)} MB`,
    `aws s3 cp: ${mbps(BIG, awsUp)} MB/s, peak RSS ${awsUpRss.toFixed(0)} MB${awsFailures ? ` (${awsFailures} failed attempt(s) run again)` : ''}`,
    `ratio ${(awsUp / upMs).toFixed(2)}x (time aws/ours), RSS ${upRss <= UPLOAD_RSS_LIMIT_MB ? 'within' : 'OVER'} ${UPLOAD_RSS_LIMIT_MB} MB`,
  );
  // BENCH_S3_KNOBS="8x4,16x8,32x4": the sweep that chose the defaults (part MiB x parts in flight).
  for (const k of (process.env.BENCH_S3_KNOBS ?? '').split(',').filter(Boolean)) {
    const [mib, queue] = k.split('x');
    const runs: { ms: number; maxRssKB: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      runs.push(child('upload', bucket, 'big.bin', file, mib!, queue!));
      await dropObject(bucket, 'big.bin');
    }
    const ms = median(runs.map((u) => u.ms));
    line(`s3.upload knobs ${mib} MiB x ${queue}`, `${mbps(BIG, ms)} MB/s, peak RSS ${(Math.max(...runs.map((u) => u.maxRssKB)) / 1024).toFixed(0)} MB`, `aws s3 cp: ${mbps(BIG, awsUp)} MB/s`, `ratio ${(awsUp / ms).toFixed(2)}x`);
  }

  if (only !== 'upload') {
    child('upload', bucket, 'big.bin', file);
    downloads(bucket);
  }
  client.destroy();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
