import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, statSync, type BigIntStats } from 'node:fs';
import { lstat, open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { StorageError } from '../errors';
import { mapFsError } from './fsErrors';
import { checkSize } from './limits';

/**
 * What a file was when we read it: which file (dev/ino), its size and time to the nanosecond,
 * and the SHA-256 of its bytes. A save is allowed only onto that same file with those bytes.
 */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  sha256: string;
}

/** Why a save onto a file that changed since it was read was refused. */
export type ChangeReason = 'changed' | 'replaced' | 'deleted';

export interface LocalConflictDetail {
  kind: 'localSaveConflict';
  reason: ChangeReason;
  path: string;
}

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

type StatLike = Pick<BigIntStats, 'dev' | 'ino' | 'size' | 'mtimeNs'>;

export function identityFrom(st: StatLike, sha256: string): FileIdentity {
  return { dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, sha256 };
}

/**
 * Reads a whole file (refusing one over `maxBytes` first) and the identity of exactly the bytes
 * read: the stat is of the open file, taken before the read, so a write during the read makes
 * the identity stale (a later save is then refused, never allowed).
 */
export async function readWithIdentity(path: string, maxBytes: number): Promise<{ bytes: Buffer; identity: FileIdentity }> {
  let fh;
  try {
    fh = await open(path, 'r');
    const st = await fh.stat({ bigint: true });
    if (st.isDirectory()) throw Object.assign(new Error('dir'), { code: 'EISDIR' });
    checkSize(Number(st.size), maxBytes, path);
    const bytes = await fh.readFile();
    return { bytes, identity: identityFrom(st, sha256Of(bytes)) };
  } catch (e) {
    throw mapFsError(e, path);
  } finally {
    await fh?.close();
  }
}

/** The file's identity now (hashing it), or undefined when it does not exist. */
export async function currentIdentity(path: string): Promise<FileIdentity | undefined> {
  let st: BigIntStats;
  try {
    st = await stat(path, { bigint: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw mapFsError(e, path);
  }
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return identityFrom(st, h.digest('hex'));
}

function quickReason(now: StatLike | undefined, was: StatLike): ChangeReason | undefined {
  if (!now) return 'deleted';
  if (now.dev !== was.dev || now.ino !== was.ino) return 'replaced';
  if (now.size !== was.size || now.mtimeNs !== was.mtimeNs) return 'changed';
  return undefined;
}

/** How the file differs from what was read: the cheap stat first, then the hash to be sure. */
export async function changeSince(path: string, was: FileIdentity): Promise<ChangeReason | undefined> {
  let st: BigIntStats | undefined;
  try {
    st = await stat(path, { bigint: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw mapFsError(e, path);
  }
  const quick = quickReason(st, was);
  if (quick) return quick;
  // Same file, size and time: only the bytes can tell (a writer that kept the time, as `cp -p` does).
  const now = await currentIdentity(path);
  return quickReason(now, was) ?? (now?.sha256 === was.sha256 ? undefined : 'changed');
}

/**
 * The last check, synchronous so that nothing else in this process runs between it and the
 * rename that follows: the file must still be the very one the hash was checked on.
 */
export function changeSinceSync(path: string, was: FileIdentity): ChangeReason | undefined {
  let st: BigIntStats | undefined;
  try {
    st = statSync(path, { bigint: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw mapFsError(e, path);
  }
  return quickReason(st, was);
}

const WHY: Record<ChangeReason, (name: string) => string> = {
  changed: (n) => `${n} was changed on disk by another program since it was opened here`,
  replaced: (n) => `${n} was replaced on disk by another file (a rename over it) since it was opened here`,
  deleted: (n) => `${n} was deleted or moved by another program since it was opened here`,
};

/** A Conflict the extension recognises by `detail.kind` (errors cross bundles, so no instanceof). */
export function localSaveConflict(reason: ChangeReason, path: string): StorageError & { detail: LocalConflictDetail } {
  const e = new StorageError(
    'Conflict',
    `${WHY[reason](basename(path))}: nothing was written and their version is kept. Choose what to do in the Storage notification, or run "Storage: Resolve Local Save Conflict...".`,
  );
  return Object.assign(e, { detail: { kind: 'localSaveConflict' as const, reason, path } });
}

export function isLocalSaveConflict(e: unknown): e is StorageError & { detail: LocalConflictDetail } {
  return (e as { detail?: { kind?: unknown } } | undefined)?.detail?.kind === 'localSaveConflict';
}

/**
 * What an entry was when the caller looked (asked the user, made its plan): 'absent', or its
 * identity from lstat (a link is the link itself). ctime is in it because no program can set it
 * back, so a change that kept size and mtime (`cp -p`, a touch back) still shows without a hash.
 */
export type SeenTarget = 'absent' | (StatLike & Pick<BigIntStats, 'ctimeNs'>);

/** The entry's state now, as AtomicBatch.begin's `expect` and a restore's overwrite map take it. */
export async function seenTarget(path: string): Promise<SeenTarget> {
  try {
    const st = await lstat(path, { bigint: true });
    return { dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw e;
  }
}

/** Whether the entry is still the one seen (lstat, synchronous: a rename may follow in the same tick). */
export function stillAsSeen(path: string, seen: Exclude<SeenTarget, 'absent'>): boolean {
  let st: BigIntStats;
  try {
    st = lstatSync(path, { bigint: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  return quickReason(st, seen) === undefined && st.ctimeNs === seen.ctimeNs;
}
