import type { S3Client } from '@aws-sdk/client-s3';
import { cancelled, storageError } from '../errors';
import { listAll } from './list';
import type { ObjectSummary } from './types';

export interface FindOptions {
  bucket: string;
  /** Where to look; '' is the whole bucket. */
  prefix: string;
  /** A substring (case-insensitive) or, with `*`, `?` or `[...]`, a glob on the key below the prefix. */
  pattern: string;
  /** Stop after this many matches (default 1000). */
  limit?: number;
  signal?: AbortSignal;
  onProgress?: (scanned: number, matched: number) => void;
}

export interface FindResult {
  matches: ObjectSummary[];
  /** Keys looked at. */
  scanned: number;
  /** The limit was reached before the listing ended. */
  truncated: boolean;
}

const GLOB_CHARS = /[*?[]/;

/**
 * The matcher for a find pattern. A glob matches the whole key below the prefix, where `*` stays
 * within one folder level, `**` crosses levels and `?` is one character; a glob without a `/`
 * matches the file name alone (as `find -name`). Anything else is a case-insensitive substring.
 */
export function keyMatcher(pattern: string): (relativeKey: string) => boolean {
  if (pattern === '') throw storageError('BadInput', 'pattern: type part of a name, or a glob such as *.json.');
  if (!GLOB_CHARS.test(pattern)) {
    const needle = pattern.toLowerCase();
    return (k) => k.toLowerCase().includes(needle);
  }
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` is any number of folders (none included); a bare `**` anything at all.
      if (pattern[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i++;
      }
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  const full = new RegExp(`^${re}$`, 'i');
  if (pattern.includes('/')) return (k) => full.test(k);
  return (k) => full.test(k.slice(k.lastIndexOf('/') + 1));
}

/**
 * Finds objects under a prefix by name without walking folders: one flat listing (1000 keys a
 * request), matched as it pages, so memory holds the matches and one page.
 */
export async function findObjects(client: S3Client, o: FindOptions): Promise<FindResult> {
  const match = keyMatcher(o.pattern);
  const limit = o.limit ?? 1000;
  const matches: ObjectSummary[] = [];
  let scanned = 0;
  for await (const page of listAll(client, { bucket: o.bucket, prefix: o.prefix, delimiter: '', signal: o.signal })) {
    if (o.signal?.aborted) throw cancelled(`Finding objects in s3://${o.bucket}/${o.prefix}`);
    for (const obj of page.objects) {
      scanned++;
      const rel = obj.key.slice(o.prefix.length);
      if (rel === '' || rel.endsWith('/')) continue; // folder placeholders
      if (!match(rel)) continue;
      matches.push(obj);
      if (matches.length >= limit) return { matches, scanned, truncated: true };
    }
    o.onProgress?.(scanned, matches.length);
  }
  return { matches, scanned, truncated: false };
}
