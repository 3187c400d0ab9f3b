// Times as people read them in lists and tab titles: "2 hours ago", "2026-12-01 14:03".

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday", "3 months ago"; `now` is passed so tests can pin it. */
export function relativeTime(when: Date, now: Date = new Date()): string {
  const seconds = Math.round((when.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return 'just now';
  for (const [unit, size] of UNITS) {
    if (abs >= size) return relative.format(Math.trunc(seconds / size), unit);
  }
  return 'just now';
}

const two = (n: number) => String(n).padStart(2, '0');

/** `2026-12-01 14:03` in local time (with `:ss` when `seconds`). */
export function localDateTime(when: Date, seconds = false): string {
  const date = `${when.getFullYear()}-${two(when.getMonth() + 1)}-${two(when.getDate())}`;
  const time = `${two(when.getHours())}:${two(when.getMinutes())}${seconds ? `:${two(when.getSeconds())}` : ''}`;
  return `${date} ${time}`;
}

/** The first 8 characters of a version id, as it is shown next to a time. */
export function shortVersionId(versionId: string): string {
  return versionId.slice(0, 8);
}
