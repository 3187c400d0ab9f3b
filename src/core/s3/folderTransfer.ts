import type { S3Client } from '@aws-sdk/client-s3';
import type { Dirent } from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { cancelled } from '../errors';
import { mapFsError } from '../local/fsErrors';
import type { FileIdentity } from '../local/identity';
import { downloadKeys, newReport, runEach, type BulkProgress, type BulkReport } from './bulk';
import { uploadFile } from './fileUpload';
import { listAll } from './list';

export interface LocalFile {
  /** Relative to the folder, with `/` between segments: the key below the prefix. */
  rel: string;
  path: string;
}

/**
 * Every regular file under `folder`, in a stable order. Symbolic links are not followed (a link
 * out of the folder would upload what the user did not pick); they come back in `links`.
 */
export async function listLocalFiles(folder: string, signal?: AbortSignal): Promise<{ files: LocalFile[]; links: string[] }> {
  const files: LocalFile[] = [];
  const links: string[] = [];
  const walk = async (dir: string, rel: string) => {
    if (signal?.aborted) throw cancelled(`Listing ${folder}`);
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw mapFsError(e, dir);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(dir, e.name), r);
      else if (e.isFile()) files.push({ rel: r, path: path.join(dir, e.name) });
      else if (e.isSymbolicLink()) links.push(r);
    }
  };
  await walk(folder, '');
  return { files, links };
}

/** A prefix as a folder: '' or ending in `/`. */
export function folderPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/**
 * Uploads a local folder to `prefix`, keeping the relative paths (`a/b.txt` -> `prefix/a/b.txt`),
 * `concurrency` files at a time, each streamed by ranges. One file's failure is in the report
 * and the others go on; links are reported as skipped.
 */
export async function uploadFolder(
  client: S3Client,
  o: { folder: string; bucket: string; prefix: string; concurrency?: number; signal?: AbortSignal; onProgress?: BulkProgress; onBytes?: (sent: number) => void },
): Promise<BulkReport> {
  const prefix = folderPrefix(o.prefix);
  const { files, links } = await listLocalFiles(o.folder, o.signal);
  const report = newReport('Upload', `${o.folder} -> s3://${o.bucket}/${prefix}`, files.length + links.length);
  for (const l of links) report.skipped.push(`${l} (a symbolic link; not followed)`);
  let sent = 0;
  return runEach(report, files, (f) => f.rel, async (f) => {
    let mine = 0;
    await uploadFile(client, {
      bucket: o.bucket,
      key: prefix + f.rel,
      file: f.path,
      signal: o.signal,
      onProgress: (n) => {
        sent += n - mine;
        mine = n;
        o.onBytes?.(sent);
      },
    });
    return 'done';
  }, o);
}

/** Every key under a prefix, flat (folder placeholders left out). */
export async function listKeys(client: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of listAll(client, { bucket, prefix, delimiter: '', signal })) {
    for (const obj of page.objects) if (!obj.key.endsWith('/')) keys.push(obj.key);
  }
  return keys;
}

/**
 * Downloads everything under `prefix` into `folder`, keeping the relative paths. Existing local
 * files are replaced only when named in `overwrite` and unchanged since; others are skipped or fail, as the caller chose.
 */
export async function downloadPrefix(
  client: S3Client,
  o: { bucket: string; prefix: string; folder: string; keys?: readonly string[]; overwrite?: ReadonlyMap<string, FileIdentity>; skipExisting?: boolean; concurrency?: number; signal?: AbortSignal; onProgress?: BulkProgress },
): Promise<BulkReport> {
  const prefix = folderPrefix(o.prefix);
  const keys = o.keys ?? (await listKeys(client, o.bucket, prefix, o.signal));
  return downloadKeys(client, { ...o, keys, base: prefix });
}
