import { totalmem } from 'node:os';
import { storageError } from '../errors';

/** How big a database may be before we ask, and the size above which we refuse. */
export interface SizeLimits {
  /** Ask the user before loading a database bigger than this (bytes). */
  askAboveBytes: number;
  /** Refuse above this (bytes); defaults to what memory can hold. */
  maxBytes?: number;
}

export type SizeDecision = 'ok' | 'ask';

/**
 * sql.js holds the whole file in memory (once in its in-memory file system, plus SQLite's page
 * cache), and a typed array in Node tops out at 4 GiB - 1. Keep room for the extension host too.
 */
export function hardLimitBytes(totalMemory = totalmem()): number {
  return Math.min(2 ** 32 - 1, Math.floor(totalMemory / 3));
}

const mb = (n: number): string => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;

/** 'ok', 'ask' (above the configured size), or a TooLarge error that gives the figures. */
export function checkSize(sizeBytes: number, limits: SizeLimits, name = 'The database'): SizeDecision {
  if (!Number.isFinite(sizeBytes) || sizeBytes < 0) throw new RangeError('checkSize: sizeBytes must be a non-negative number');
  if (!(limits.askAboveBytes >= 0)) throw new RangeError('checkSize: limits.askAboveBytes must be a non-negative number');
  const max = limits.maxBytes ?? hardLimitBytes();
  if (sizeBytes > max) {
    throw storageError(
      'TooLarge',
      `${name} is ${mb(sizeBytes)}, but at most ${mb(max)} fits in memory here (sql.js loads the whole file; this machine has ${mb(totalmem())} of RAM). Open it with the sqlite3 CLI, or copy out the tables you need.`,
    );
  }
  return sizeBytes > limits.askAboveBytes ? 'ask' : 'ok';
}
