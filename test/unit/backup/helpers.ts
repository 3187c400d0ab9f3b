import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const RESTIC = '/usr/bin/restic';
export const PASSWORD = 'correct horse battery staple';

/**
 * Damages a stored blob in place: XORs the byte `at` bytes into it (in its pack under `repo`, a
 * test's own copy) with `mask`, so its MAC no longer matches.
 */
export function flipBlobByte(repo: string, blob: { pack: string; offset: number }, at: number, mask = 0x01): void {
  const path = join(repo, 'data', blob.pack.slice(0, 2), blob.pack);
  chmodSync(path, 0o600);
  const bytes = readFileSync(path);
  bytes[blob.offset + at]! ^= mask;
  writeFileSync(path, bytes);
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `si-restic-${tag}-`));
}

/** A password file, as restic's RESTIC_PASSWORD_FILE reads it. */
export function passwordFile(dir: string, password = PASSWORD): string {
  const p = join(dir, 'password');
  writeFileSync(p, password + '\n', { mode: 0o600 });
  return p;
}

/** The independent side: Debian's restic, with the password from a file and never on a command line. */
export async function restic(pwFile: string, repo: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(RESTIC, ['-r', repo, '--no-cache', ...args], {
    env: { ...process.env, RESTIC_PASSWORD_FILE: pwFile, RESTIC_CACHE_DIR: join(tmpdir(), 'si-restic-cache') },
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

export function jsonLines(text: string): unknown[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
}

/** Deterministic pseudo-random bytes (so two runs chunk alike) without holding a generator's state. */
export function noise(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out.writeUInt32LE(x, Math.min(i, length - 4) >= 0 && i + 4 <= length ? i : 0);
  }
  return out;
}

/**
 * The tree the issue names: empty folders, 0-byte and 20 MiB files, files just over chunk
 * boundaries, unicode and odd names, a symlink, unusual modes, deep folders.
 */
export function fixtureTree(parent: string, bigBytes = 20 * 1024 * 1024): string {
  const root = join(parent, 'tree');
  mkdirSync(join(root, 'deep/a/b/c/d/e/f/g'), { recursive: true });
  mkdirSync(join(root, 'empty-folder'));
  mkdirSync(join(root, 'odd names'));
  writeFileSync(join(root, 'zero'), '');
  writeFileSync(join(root, 'small.txt'), 'hello restic\n');
  writeFileSync(join(root, 'big.bin'), randomBytes(bigBytes));
  writeFileSync(join(root, 'over-min-chunk.bin'), randomBytes(512 * 1024 + 1));
  writeFileSync(join(root, 'under-min-chunk.bin'), randomBytes(512 * 1024 - 1));
  writeFileSync(join(root, 'three-chunks.bin'), randomBytes(3 * 1024 * 1024 + 17));
  writeFileSync(join(root, 'deep/a/b/c/d/e/f/g/ünïcødé ✓ 日本.txt'), 'deep unicode\n');
  writeFileSync(join(root, 'odd names/"quotes" and \\backslash'), 'odd\n');
  writeFileSync(join(root, 'odd names/ leading space'), 'space\n');
  writeFileSync(join(root, 'odd names/new\nline'), 'newline\n');
  writeFileSync(join(root, 'odd names/<html>&amp;'), 'html\n');
  symlinkSync('small.txt', join(root, 'link-to-small'));
  symlinkSync('/nonexistent/target', join(root, 'dangling-link'));
  writeFileSync(join(root, 'script.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(root, 'script.sh'), 0o750);
  writeFileSync(join(root, 'private'), 'secret-ish\n');
  chmodSync(join(root, 'private'), 0o600);
  writeFileSync(join(root, 'setuid'), 'suid\n');
  chmodSync(join(root, 'setuid'), 0o4755);
  utimesSync(join(root, 'small.txt'), new Date('2001-02-03T04:05:06.789Z'), new Date('2002-03-04T05:06:07.891Z'));
  return root;
}
