import { readFileSync, statSync } from 'node:fs';

/**
 * The process holding a POSIX or OFD lock on any of these files, per Linux's /proc/locks.
 * A SQLite connection in WAL mode keeps a shared lock on the database and its -shm for as
 * long as it is open, even when idle; replacing the file under it would split its view of the
 * database from ours. Elsewhere (no /proc/locks) this finds nothing.
 */
export function lockHolder(paths: string[]): { pid: number; path: string } | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/locks', 'latin1');
  } catch {
    return undefined;
  }
  const wanted = new Map<string, string>();
  for (const p of paths) {
    try {
      const st = statSync(p);
      wanted.set(`${devId(st.dev)}:${st.ino}`, p);
    } catch {
      // A file that is not there holds no lock.
    }
  }
  if (wanted.size === 0) return undefined;
  for (const line of table.split('\n')) {
    // "1: POSIX  ADVISORY  READ 8928 fe:00:9982752 128 128"; a blocked waiter's line has "->".
    const f = line.trim().split(/\s+/);
    if (f.includes('->')) continue;
    const pid = Number(f[4]);
    const id = f[5] ?? '';
    const path = wanted.get(id.toLowerCase());
    if (path !== undefined && pid !== process.pid) return { pid, path };
  }
  return undefined;
}

/** stat's dev as /proc/locks writes it: hex major:minor (Linux's new_encode_dev layout). */
function devId(dev: number): string {
  const major = (dev >>> 8) & 0xfff;
  const minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`;
}
