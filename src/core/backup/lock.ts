import { hostname, userInfo } from 'node:os';
import { storageError } from '../errors';
import type { Lock } from './model';
import type { Repository } from './repository';
import { saveJson } from './unpackedWriter';
import { processAlive } from '../processAlive';

/** restic's rules: a lock not refreshed for 30 minutes is stale; refresh every 5. */
export const STALE_MS = 30 * 60_000;
export const REFRESH_MS = 5 * 60_000;
const WAIT_BEFORE_RECHECK_MS = 200;

export interface HeldLock {
  /** The current lock file's name (it changes on each refresh). */
  name(): string;
  release(): Promise<void>;
}


function isStale(l: Lock, now: number): boolean {
  const t = Date.parse(l.time);
  if (Number.isNaN(t) || now - t > STALE_MS) return true;
  return l.hostname === hostname() && !processAlive(l.pid);
}

/** Exclusive locks (or, for an exclusive request, any lock) held by someone else that block us. */
async function blocking(repo: Repository, exclusive: boolean, own: string | undefined): Promise<Lock[]> {
  const out: Lock[] = [];
  for (const { name } of await repo.backend.list('locks')) {
    if (name === own) continue;
    let l: Lock;
    try {
      l = await repo.readJson<Lock>('locks', name);
    } catch {
      continue; // removed between list and read, or a half-written lock of a dead writer
    }
    if (isStale(l, Date.now())) continue;
    if (exclusive || l.exclusive) out.push(l);
  }
  return out;
}

function refusal(repo: Repository, l: Lock): Error {
  return storageError(
    'Conflict',
    `${repo.backend.label} is locked ${l.exclusive ? 'exclusively' : ''} by ${l.username}@${l.hostname} (pid ${l.pid}) since ${l.time}, probably for a prune or check. Try again when it is done; if that process is gone, restic unlock removes the stale lock.`.replace('  ', ' '),
  );
}

/**
 * Takes a lock the way restic does: refuse beside an exclusive one, write ours, wait, look again
 * (another may have raced us), then refresh it until released.
 */
export async function lockRepository(repo: Repository, exclusive = false, refreshMs = REFRESH_MS): Promise<HeldLock> {
  const first = await blocking(repo, exclusive, undefined);
  if (first[0]) throw refusal(repo, first[0]);
  const body = (): Lock => ({ time: new Date().toISOString(), exclusive, hostname: hostname(), username: userInfo().username, pid: process.pid, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 });
  // restic 0.14 tests whether a lock's process lives by sending it SIGHUP (restic unlock, stale
  // checks); without a listener Node would die of it while holding the lock.
  const ignoreHup = () => undefined;
  process.on('SIGHUP', ignoreHup);
  let current: string;
  try {
    current = await saveJson(repo, 'locks', body());
  } catch (e) {
    process.off('SIGHUP', ignoreHup);
    throw e;
  }
  await new Promise((r) => setTimeout(r, WAIT_BEFORE_RECHECK_MS));
  const raced = await blocking(repo, exclusive, current);
  if (raced[0]) {
    process.off('SIGHUP', ignoreHup);
    await repo.backend.remove('locks', current);
    throw refusal(repo, raced[0]);
  }
  let refreshing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    refreshing = refreshing.then(async () => {
      const next = await saveJson(repo, 'locks', body());
      const old = current;
      current = next;
      await repo.backend.remove('locks', old);
    }).catch(() => undefined);
  }, refreshMs);
  timer.unref();
  return {
    name: () => current,
    async release() {
      clearInterval(timer);
      await refreshing;
      await repo.backend.remove('locks', current);
      process.off('SIGHUP', ignoreHup);
    },
  };
}
