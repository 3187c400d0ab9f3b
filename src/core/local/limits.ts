import { storageError } from '../errors';

/** 1536 -> "1.5 KB"; decimal units, as file managers show them. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** Throws TooLarge naming the size and the limit when size exceeds it. */
export function checkSize(size: number, limit: number, what: string): void {
  if (!Number.isFinite(limit) || limit <= 0) return;
  if (size > limit) {
    throw storageError(
      'TooLarge',
      `${what} is ${formatBytes(size)} (${size} bytes), over the limit of ${formatBytes(limit)} (${limit} bytes). ` +
        'Raise the limit in the settings, or work on a copy outside the editor.',
    );
  }
}
