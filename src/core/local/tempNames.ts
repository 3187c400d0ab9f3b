import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { processAlive } from '../processAlive';

/**
 * Our temp files are hidden (leading dot) and recognisable: `.<start of name>.si-<pid>-<hex>.tmp`.
 * The pid lets a later listing tell a crashed writer's leftovers from a save in progress.
 */
const TEMP_RE = /^\..*\.si-(\d+)-[0-9a-f]{8}\.tmp$/s;

/** Bytes of the target's name kept in the temp name: enough to tell whose temp it is, short
 * enough that a 255-byte name (the usual limit) still gets a temp name that fits. */
const NAME_PREFIX_BYTES = 40;

export function tempPathFor(target: string): string {
  const prefix = utf8Prefix(basename(target), NAME_PREFIX_BYTES);
  return join(dirname(target), `.${prefix}.si-${process.pid}-${randomHex8()}.tmp`);
}

/** Random bytes taken 4 at a time from a pool (one call to the system's generator per 1,024 names). */
let pool = Buffer.alloc(0);
let used = 0;
function randomHex8(): string {
  if (used + 4 > pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  used += 4;
  return pool.toString('hex', used - 4, used);
}

/** The longest start of `s` that fits in `maxBytes` of UTF-8, cut between characters. */
function utf8Prefix(s: string, maxBytes: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    bytes += Buffer.byteLength(ch);
    if (bytes > maxBytes) break;
    out += ch;
  }
  return out;
}

export function isTempName(name: string): boolean {
  return TEMP_RE.test(name);
}

/** Stale when its writer is gone, or when it is older than maxAgeMs whatever the pid says. */
export function isStaleTemp(name: string, mtimeMs: number, now = Date.now(), maxAgeMs = 60 * 60_000): boolean {
  const m = TEMP_RE.exec(name);
  if (!m || m[1] === undefined) return false;
  if (now - mtimeMs > maxAgeMs) return true;
  return !processAlive(Number(m[1]));
}

