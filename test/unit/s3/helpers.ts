import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createS3Client, createBucket, setVersioning } from '../../../src/core/s3';
import type { S3Client } from '@aws-sdk/client-s3';

export const run = promisify(execFile);
export const AWS = '/usr/bin/aws';
export const endpoint = process.env.SI_S3_ENDPOINT;
export const SKIP = endpoint ? false : 'SI_S3_ENDPOINT is unset; run under scripts/moto.sh run';

export function client(over: { secretAccessKey?: string; endpoint?: string; maxAttempts?: number; requestTimeoutMs?: number } = {}): S3Client {
  return createS3Client({
    endpoint: over.endpoint ?? endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: over.maxAttempts ?? 2,
    connectTimeoutMs: 1000,
    requestTimeoutMs: over.requestTimeoutMs ?? 5000,
    credentials: {
      kind: 'keys',
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'testing',
      secretAccessKey: over.secretAccessKey ?? process.env.AWS_SECRET_ACCESS_KEY ?? 'testing',
    },
  });
}

/** The independent side: AWS CLI v2 against the same server. */
export async function aws(...args: string[]): Promise<string> {
  const { stdout } = await run(AWS, ['--endpoint-url', endpoint!, '--output', 'json', ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export function bucketName(tag: string): string {
  return `si-${tag}-${randomBytes(4).toString('hex')}`;
}

export async function newBucket(c: S3Client, tag: string, versioned = true): Promise<string> {
  const b = bucketName(tag);
  await createBucket(c, b);
  if (versioned) await setVersioning(c, b, true);
  return b;
}

export function tempDir(tag: string): string {
  return mkdtempSync(path.join(tmpdir(), `si-s3-${tag}-`));
}

/** A fresh age key pair from age-keygen; the identity stays in a temp file, never in output. */
export async function ageKey(dir: string): Promise<{ identityFile: string; recipient: string }> {
  const identityFile = path.join(dir, 'key.txt');
  await run('/usr/bin/age-keygen', ['-o', identityFile]);
  const { stdout } = await run('/usr/bin/age-keygen', ['-y', identityFile]);
  return { identityFile, recipient: stdout.trim() };
}

/** gzip then age-encrypt `text` into a file with the CLIs, as another tool would. */
export async function gzipAge(dir: string, name: string, text: string, recipient: string): Promise<string> {
  const { writeFile } = await import('node:fs/promises');
  const plain = path.join(dir, name);
  await writeFile(plain, text);
  await run('/usr/bin/gzip', ['-f', '-k', plain]);
  await run('/usr/bin/age', ['-r', recipient, '-o', `${plain}.gz.age`, `${plain}.gz`]);
  return `${plain}.gz.age`;
}

export async function ageGunzip(file: string, identityFile: string): Promise<string> {
  const { stdout } = await run('/bin/sh', ['-c', '/usr/bin/age -d -i "$1" "$2" | /usr/bin/gzip -dc', 'sh', identityFile, file]);
  return stdout;
}

/** Counts the requests a client sends, per command name (e.g. DeleteObjectsCommand). */
export function countRequests(c: S3Client): Map<string, number> {
  const counts = new Map<string, number>();
  c.middlewareStack.add(
    (next, context) => (args) => {
      const name = (context as { commandName?: string }).commandName ?? '?';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: `count-${Math.random()}` },
  );
  return counts;
}

/** Puts `n` tiny objects (or versions) with `parallel` requests in flight. */
export async function putMany(c: S3Client, bucket: string, keys: readonly string[], parallel = 16): Promise<void> {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  let i = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (i < keys.length) {
        const k = keys[i++]!;
        await c.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k }));
      }
    }),
  );
}
