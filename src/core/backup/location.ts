import { readFile } from 'node:fs/promises';
import { storageError } from '../errors';
import type { Backend } from './backend';
import { LocalBackend } from './localBackend';

/** The AWS SDK loads only for an S3 repository: a local backup must not pay its start-up. */
function s3Parts(): typeof import('./s3Parts') {
  return require('./s3Parts') as typeof import('./s3Parts');
}

/**
 * A repository named as restic names it: a folder path, or `s3:https://host[:port]/bucket/prefix`
 * (`s3:s3.amazonaws.com/bucket/prefix` for AWS). S3 credentials come from the standard AWS chain
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, SSO), as restic's do.
 */
export function backendFor(spec: string): Backend {
  if (!spec.startsWith('s3:')) return new LocalBackend(spec);
  let rest = spec.slice(3);
  let endpoint: string | undefined;
  if (/^https?:\/\//.test(rest)) {
    const url = new URL(rest);
    endpoint = `${url.protocol}//${url.host}`;
    rest = url.pathname.replace(/^\/+/, '');
  } else {
    const slash = rest.indexOf('/');
    const host = slash < 0 ? rest : rest.slice(0, slash);
    if (!/amazonaws\.com$/.test(host)) endpoint = `https://${host}`;
    rest = slash < 0 ? '' : rest.slice(slash + 1);
  }
  const [bucket, ...prefix] = rest.split('/');
  if (!bucket) throw storageError('BadInput', `${spec}: name the bucket, as in s3:https://host/bucket/prefix.`);
  const { createS3Client, S3Backend } = s3Parts();
  const client = createS3Client({ endpoint, region: process.env.AWS_DEFAULT_REGION ?? process.env.AWS_REGION, forcePathStyle: endpoint !== undefined, credentials: { kind: 'default' } });
  return new S3Backend(client, bucket, prefix.join('/'));
}

/** restic's password file: its first line, without the line ending. */
export async function readPasswordFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw storageError('NotFound', `password file ${path} cannot be read. Check the path and its permissions.`);
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') throw storageError('BadInput', `password file ${path} is empty; an empty password is not a password.`);
  return line;
}

/** restic's --password-command: run through the shell, its output's first line is the password. */
export async function passwordFromCommand(command: string, timeoutMs = 60_000): Promise<string> {
  const { execFile } = await import('node:child_process');
  const out = await new Promise<string>((resolve, reject) => {
    execFile('/bin/sh', ['-c', command], { timeout: timeoutMs, maxBuffer: 64 * 1024 }, (err, stdout) => {
      // the command's own output may hold the password, so it never goes into the message
      if (err) reject(storageError('BadInput', `the password command failed (${(err as { code?: unknown }).code ?? 'killed'}). Run it yourself to see why.`));
      else resolve(stdout);
    });
  });
  const line = out.split(/\r?\n/)[0] ?? '';
  if (line === '') throw storageError('BadInput', 'the password command printed nothing; an empty password is not a password.');
  return line;
}
