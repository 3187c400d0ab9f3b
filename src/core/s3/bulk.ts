import type { S3Client } from '@aws-sdk/client-s3';
import { cancelled, isCancelled, isStorageError, messageOf } from '../errors';
import { currentIdentity, type FileIdentity } from '../local/identity';
import { DELETE_BATCH, deleteBatch } from './deleteBatch';
import { copyObject, headObject } from './objects';
import { safeJoin } from './safePath';
import { downloadObject } from './transfer';

/** One item that did not go through, and why (a sentence that says what to do). */
export interface BulkFailure {
  item: string;
  code: string;
  message: string;
}

/** What a bulk operation did, item by item; it outlives the notification as a report. */
export interface BulkReport {
  /** "Delete", "Download", "Copy", "Upload": the verb, for titles. */
  action: string;
  /** Where it happened, e.g. `s3://bucket/prefix/ -> /home/me/out`. */
  target: string;
  total: number;
  done: string[];
  failed: BulkFailure[];
  /** Left as they were on purpose (an existing local file the user chose to keep). */
  skipped: string[];
  /** The user cancelled; items not started are neither done nor failed. */
  cancelled: boolean;
  /** When items are too many to list one by one (versions under a prefix): how many were done. */
  doneCount?: number;
  /** A line for the top of the report, e.g. how many requests it took. */
  note?: string;
}

/** How many items went through. */
export function doneCount(r: BulkReport): number {
  return r.doneCount ?? r.done.length;
}

export interface BulkProgress {
  (finished: number, total: number, current?: string): void;
}

export function newReport(action: string, target: string, total: number): BulkReport {
  return { action, target, total, done: [], failed: [], skipped: [], cancelled: false };
}

function failureOf(item: string, e: unknown): BulkFailure {
  return { item, code: isStorageError(e) ? e.code : 'Error', message: messageOf(e) };
}

/**
 * Runs `work` on every item, `concurrency` at a time. One item's failure is recorded and the
 * others go on; a cancel stops starting new items and lets the running ones stop.
 */
export async function runEach<T>(
  report: BulkReport,
  items: readonly T[],
  nameOf: (t: T) => string,
  work: (t: T) => Promise<'done' | 'skipped'>,
  o: { concurrency?: number; signal?: AbortSignal; onProgress?: BulkProgress } = {},
): Promise<BulkReport> {
  let next = 0;
  let finished = 0;
  const worker = async () => {
    while (next < items.length) {
      if (o.signal?.aborted) return;
      const t = items[next++]!;
      const name = nameOf(t);
      o.onProgress?.(finished, items.length, name);
      try {
        if ((await work(t)) === 'skipped') report.skipped.push(name);
        else report.done.push(name);
      } catch (e) {
        if (isCancelled(e) && o.signal?.aborted) return;
        report.failed.push(failureOf(name, e));
      }
      finished++;
      o.onProgress?.(finished, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 4, items.length)) }, worker));
  report.cancelled = o.signal?.aborted === true;
  return report;
}

/** The key below `base` (a prefix ending in `/`, or ''); keys outside it keep their whole name. */
export function relativeKey(key: string, base: string): string {
  return base && key.startsWith(base) ? key.slice(base.length) : key;
}

/** The longest folder prefix (ending in `/`) that every key shares, '' if none. */
export function commonFolder(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  let p = keys[0]!.slice(0, keys[0]!.lastIndexOf('/') + 1);
  for (const k of keys) while (p && !k.startsWith(p)) p = p.slice(0, p.slice(0, -1).lastIndexOf('/') + 1);
  return p;
}

/**
 * Deletes the current objects at `keys` (in a versioned bucket: adds delete markers, which
 * Undelete removes), 1000 keys per DeleteObjects request; per-key refusals are in the report.
 */
export async function deleteKeys(
  client: S3Client,
  o: { bucket: string; keys: readonly string[]; signal?: AbortSignal; onProgress?: BulkProgress },
): Promise<BulkReport> {
  const report = newReport('Delete', `s3://${o.bucket}`, o.keys.length);
  for (let i = 0; i < o.keys.length; i += DELETE_BATCH) {
    if (o.signal?.aborted) {
      report.cancelled = true;
      break;
    }
    const batch = o.keys.slice(i, i + DELETE_BATCH);
    try {
      const out = await deleteBatch(client, o.bucket, batch.map((key) => ({ key })), o.signal);
      const bad = new Set(out.failed.map((f) => f.key));
      for (const f of out.failed) report.failed.push({ item: f.key, code: f.code, message: f.message });
      for (const k of batch) if (!bad.has(k)) report.done.push(k);
    } catch (e) {
      if (isCancelled(e) && o.signal?.aborted) {
        report.cancelled = true;
        break;
      }
      for (const k of batch) report.failed.push(failureOf(k, e));
    }
    o.onProgress?.(Math.min(o.keys.length, i + DELETE_BATCH), o.keys.length);
  }
  return report;
}

/**
 * The local files that downloading `keys` (below `base`) into `folder` would replace, each with
 * its identity and content hash now: a Replace then writes over exactly that file, or not at all.
 */
export async function existingTargets(folder: string, keys: readonly string[], base: string, signal?: AbortSignal): Promise<Map<string, FileIdentity>> {
  const out = new Map<string, FileIdentity>();
  for (const k of keys) {
    if (signal?.aborted) throw cancelled(`Checking ${folder}`);
    let p: string;
    try {
      p = safeJoin(folder, relativeKey(k, base));
    } catch {
      continue; // refused at download time, with its reason in the report
    }
    const identity = await currentIdentity(p).catch(() => undefined);
    if (identity) out.set(k, identity);
  }
  return out;
}

/**
 * Downloads objects into `folder`, each at its key below `base`, each through the atomic write.
 * A local file is replaced only when its key is in `overwrite`, and only while it is still the
 * file seen then (else a Conflict, and their file is kept); the others that exist are skipped
 * (`skipExisting`) or fail with Exists, never overwritten.
 */
export async function downloadKeys(
  client: S3Client,
  o: {
    bucket: string;
    keys: readonly string[];
    base: string;
    folder: string;
    overwrite?: ReadonlyMap<string, FileIdentity>;
    skipExisting?: boolean;
    concurrency?: number;
    signal?: AbortSignal;
    onProgress?: BulkProgress;
  },
): Promise<BulkReport> {
  const report = newReport('Download', `s3://${o.bucket}/${o.base} -> ${o.folder}`, o.keys.length);
  return runEach(report, o.keys, (k) => k, async (key) => {
    const expect = o.overwrite?.get(key);
    try {
      await downloadObject(client, { bucket: o.bucket, key, folder: o.folder, fileName: relativeKey(key, o.base), overwrite: expect !== undefined, ...(expect ? { expect } : {}), signal: o.signal });
      return 'done';
    } catch (e) {
      if (o.skipExisting && isStorageError(e) && e.code === 'Exists') return 'skipped';
      throw e;
    }
  }, o);
}

async function existsAt(client: S3Client, r: { bucket: string; key: string }, signal?: AbortSignal): Promise<boolean> {
  try {
    await headObject(client, r, signal);
    return true;
  } catch (e) {
    if (isStorageError(e) && e.code === 'NotFound') return false;
    throw e;
  }
}

/** Copies objects (with their properties) to `toBucket`, each at `toPrefix` + its key below `base`. */
export async function copyKeys(
  client: S3Client,
  o: { bucket: string; keys: readonly string[]; base: string; toBucket: string; toPrefix: string; concurrency?: number; signal?: AbortSignal; onProgress?: BulkProgress },
): Promise<BulkReport> {
  const report = newReport('Copy', `s3://${o.bucket}/${o.base} -> s3://${o.toBucket}/${o.toPrefix}`, o.keys.length);
  return runEach(report, o.keys, (k) => k, async (key) => {
    const to = o.toPrefix + relativeKey(key, o.base);
    if (o.toBucket === o.bucket && to === key) return 'skipped'; // onto itself: nothing to do
    // An object already at the destination is kept, never replaced by the copy (reported as skipped).
    if (await existsAt(client, { bucket: o.toBucket, key: to }, o.signal)) return 'skipped';
    await copyObject(client, { bucket: o.bucket, key }, { bucket: o.toBucket, key: to }, o.signal);
    return 'done';
  }, o);
}

/** The report as Markdown: counts first, then every failure with its reason, then the rest. */
export function reportText(r: BulkReport): string {
  // A conflict is a file (or object) kept because another writer changed it: not a fault, so apart.
  const conflicts = r.failed.filter((f) => f.code === 'Conflict');
  const failed = r.failed.filter((f) => f.code !== 'Conflict');
  const lines = [
    `# ${r.action}: ${r.target}`,
    '',
    `${doneCount(r)} of ${r.total} done, ${failed.length} failed, ${conflicts.length ? `${conflicts.length} kept (changed by another program), ` : ''}${r.skipped.length} skipped${r.cancelled ? `, ${r.total - doneCount(r) - r.failed.length - r.skipped.length} not started (cancelled)` : ''}.`,
  ];
  if (r.note) lines.push('', r.note);
  const section = (title: string, items: readonly string[]) => {
    if (items.length) lines.push('', `## ${title} (${items.length})`, '', ...items);
  };
  section('Failed', failed.map((f) => `- \`${f.item}\` (${f.code}): ${f.message}`));
  section('Conflicts', conflicts.map((f) => `- \`${f.item}\`: ${f.message}`));
  section('Skipped', r.skipped.map((s) => `- \`${s}\``));
  section('Done', r.done.map((d) => `- \`${d}\``));
  return lines.join('\n') + '\n';
}
