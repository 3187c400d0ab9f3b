// Backups next to restic 0.14 on the same tree: first backup, unchanged second backup, backup
// after 1% of files changed, full restore, check --read-data; seconds and peak RSS of each.
// The issue's 1 GiB / 10,000-file tree by default; BENCH_QUICK=1 (or BENCH_BACKUP_FULL=0) uses
// 300 files / 48 MB. Each figure is the median of BENCH_ROUNDS runs (3), ours and restic's taking
// turns in the same run (a first backup into a fresh repository each round).
// BENCH_BACKUP_ONLY=write runs only the first, unchanged and 1%-changed backups;
// BENCH_BACKUP_ONLY=read only the restores and check, reusing the repositories in bench-data when
// they hold a snapshot (else it makes them with one first backup each, not timed).
import { execFileSync } from 'node:child_process';
import { accessSync, appendFileSync, constants, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { line, median } from './report';

const FULL = process.env.BENCH_BACKUP_FULL !== undefined ? process.env.BENCH_BACKUP_FULL === '1' : process.env.BENCH_QUICK !== '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FILES = FULL ? 10_000 : 300;
const BYTES = FULL ? 1 << 30 : 48 << 20;
const DATA = resolve(__dirname, '..', 'bench-data', 'backup');
const ROOT = resolve(__dirname, '..');
const CLI = existsSync(join(ROOT, 'dist/cli.js')) ? [join(ROOT, 'dist/cli.js')] : ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
const PW = join(DATA, 'password');
const ONLY = process.env.BENCH_BACKUP_ONLY ?? '';
if (ONLY !== '' && ONLY !== 'write' && ONLY !== 'read') throw new Error(`BENCH_BACKUP_ONLY must be write or read, not ${ONLY}`);

/** A realistic mix: a third text (compressible), a third log lines, a third random binary. */
function makeTree(dir: string): void {
  if (existsSync(join(dir, '.done'))) return;
  rmSync(dir, { recursive: true, force: true });
  const mean = BYTES / FILES;
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const words = 'storage backup restic chunk index pack tree snapshot lock blob data file folder key'.split(' ');
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `d${i % 50}`, `e${i % 7}`);
    mkdirSync(sub, { recursive: true });
    const size = Math.max(0, Math.floor(mean * (0.1 + rnd() * 1.8)));
    let body: Buffer;
    if (i % 3 === 0) {
      const out: string[] = [];
      for (let n = 0; n < size; ) { const w = words[Math.floor(rnd() * words.length)]!; out.push(w); n += w.length + 1; }
      body = Buffer.from(out.join(' ')).subarray(0, size);
    } else if (i % 3 === 1) {
      const out: string[] = [];
      for (let n = 0, k = 0; n < size; k++) { const l = `2026-12-01T20:${String(k % 60).padStart(2, '0')}:00Z INFO request ${Math.floor(rnd() * 1e9)} took ${Math.floor(rnd() * 900)}ms\n`; out.push(l); n += l.length; }
      body = Buffer.from(out.join('')).subarray(0, size);
    } else {
      body = Buffer.alloc(size);
      for (let k = 0; k + 4 <= size; k += 4) body.writeUInt32LE(Math.floor(rnd() * 2 ** 32), k);
    }
    writeFileSync(join(sub, `f${i}.${['txt', 'log', 'bin'][i % 3]}`), body);
  }
  writeFileSync(join(dir, '.done'), '');
}

function canDropCaches(): boolean {
  try {
    accessSync('/proc/sys/vm/drop_caches', constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Writes back what is dirty, then drops the clean page cache (so the next command reads from disk). */
function dropCaches(): void {
  execFileSync('sync');
  writeFileSync('/proc/sys/vm/drop_caches', '1');
}

interface Run {
  s: number;
  /** user + system CPU seconds: steadier than wall time on a shared machine */
  cpu: number;
  rssMB: number;
}

/**
 * Seconds, CPU seconds and peak RSS (MB) of one command, from GNU time. Everything written before
 * is made durable first (sync, not timed): restic's restore and backup end with their files still
 * in the page cache, and our next command's syncfs (restore) or the disk's writeback (backup)
 * would otherwise be timed for restic's bytes as well as ours.
 */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const out = join(DATA, 'time.txt');
  execFileSync('sync');
  execFileSync('/usr/bin/time', ['-o', out, '-f', '%e %U %S %M', cmd, ...args], { env: { ...process.env, RESTIC_PASSWORD_FILE: PW, RESTIC_CACHE_DIR: join(DATA, 'cache'), ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const [s, u, sys, kb] = execFileSync('tail', ['-1', out]).toString().trim().split(' ').map(Number);
  return { s: s!, cpu: u! + sys!, rssMB: kb! / 1024 };
}

function main(): void {
  mkdirSync(DATA, { recursive: true });
  writeFileSync(PW, 'bench password\n');
  const tree = join(DATA, `tree-${FILES}-${BYTES}`);
  makeTree(tree);
  const ours = join(DATA, 'repo-ours');
  const theirs = join(DATA, 'repo-restic');
  const node = process.execPath;
  const us = (...a: string[]) => timed(node, [...CLI, ...a]);
  const them = (...a: string[]) => timed('restic', ['--no-cache', ...a]);
  const mb = BYTES / 1e6;
  /** The median run by wall time (its CPU and RSS with it), over `n` rounds of `run`. */
  const med = (runs: Run[]): Run => {
    const m = median(runs.map((r) => r.s));
    return runs.reduce((best, r) => (Math.abs(r.s - m) < Math.abs(best.s - m) ? r : best), runs[0]!);
  };
  const fig = (name: string, a: Run[], b: Run[], perSecondOf?: number) => {
    const x = med(a);
    const y = med(b);
    const rate = (r: Run) => (perSecondOf ? ` ${(perSecondOf / Math.max(r.s, 0.01)).toFixed(0)} MB/s` : '');
    const show = (r: Run) => `${r.s.toFixed(2)} s${rate(r)} (cpu ${r.cpu.toFixed(2)} s), ${r.rssMB.toFixed(0)} MB RSS`;
    const peak = Math.max(...a.map((r) => r.rssMB));
    line(`${name} (median of ${a.length})`, `ours ${show(x)}, peak ${peak.toFixed(0)} MB`, `restic ${show(y)}`, `${(y.s / Math.max(x.s, 0.01)).toFixed(2)}x restic's speed, cpu ${(y.cpu / Math.max(x.cpu, 0.01)).toFixed(2)}x`);
  };
  const fresh = (r: string) => {
    rmSync(r, { recursive: true, force: true });
    execFileSync('restic', ['-r', r, 'init', '--repository-version', '2'], { env: { ...process.env, RESTIC_PASSWORD_FILE: PW }, stdio: 'ignore' });
  };
  console.log(`tree: ${FILES} files, ${mb.toFixed(0)} MB (${FULL ? 'full' : 'quick'}); ${ROUNDS} rounds per figure${ONLY ? `; ${ONLY} figures only` : ''}`);
  if (ONLY !== 'read') writeFigures();
  if (ONLY !== 'write') readFigures();
  function writeFigures(): void {
    // first backups: a fresh repository each round, ours and restic's in turn, from a tree in the
    // page cache (the restores of an earlier run may have pushed it out, and the first side to
    // run would have read it from disk for the other)
    const warm = () => execFileSync('sh', ['-c', 'find "$1" -type f -exec cat {} + > /dev/null', 'sh', tree]);
    warm();
    const firstRounds = ROUNDS;
    const firstOurs: Run[] = [];
    const firstTheirs: Run[] = [];
    for (let i = 0; i < firstRounds; i++) {
      fresh(ours);
      firstOurs.push(us('backup', '-r', ours, '--password-file', PW, tree));
      fresh(theirs);
      firstTheirs.push(them('-r', theirs, 'backup', '-q', tree));
    }
    fig('first backup', firstOurs, firstTheirs, mb);
    // A real first backup mostly reads from disk: the same with the page cache dropped before each
    // run (root only: it writes /proc/sys/vm/drop_caches; the repositories end as the warm ones did).
    if (canDropCaches()) {
      const coldOurs: Run[] = [];
      const coldTheirs: Run[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        fresh(ours);
        dropCaches();
        coldOurs.push(us('backup', '-r', ours, '--password-file', PW, tree));
        fresh(theirs);
        dropCaches();
        coldTheirs.push(them('-r', theirs, 'backup', '-q', tree));
      }
      fig('first backup, tree read from disk (page cache dropped)', coldOurs, coldTheirs, mb);
      warm();
    }
    const unchangedOurs: Run[] = [];
    const unchangedTheirs: Run[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      unchangedOurs.push(us('backup', '-r', ours, '--password-file', PW, tree));
      unchangedTheirs.push(them('-r', theirs, 'backup', '-q', tree));
    }
    fig('unchanged second backup', unchangedOurs, unchangedTheirs);
    const changedOurs: Run[] = [];
    const changedTheirs: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // a different 1% each round, so both sides read and chunk the changed files every time
      for (let i = round; i < FILES; i += 100) appendFileSync(join(tree, `d${i % 50}`, `e${i % 7}`, `f${i}.${['txt', 'log', 'bin'][i % 3]}`), `changed ${Date.now()}\n`);
      changedOurs.push(us('backup', '-r', ours, '--password-file', PW, tree));
      changedTheirs.push(them('-r', theirs, 'backup', '-q', tree));
    }
    fig('backup after 1% changed', changedOurs, changedTheirs);
  }
  function readFigures(): void {
    const hasSnapshot = (r: string) => existsSync(join(r, 'snapshots')) && readdirSync(join(r, 'snapshots')).length > 0;
    if (!hasSnapshot(ours)) {
      fresh(ours);
      us('backup', '-r', ours, '--password-file', PW, tree);
    }
    if (!hasSnapshot(theirs)) {
      fresh(theirs);
      them('-r', theirs, 'backup', '-q', tree);
    }
    // Each restore goes to a folder of its own, and the folders are deleted only after the last
    // round: right after 10,000 files are deleted, ext4 passes over their inodes for about 30 s
    // when it makes new ones (recently_deleted(), seen with perf: a fifth of all samples), so
    // a restore made just after removing the previous one measured that, not the restore.
    let n = 0;
    const targets: string[] = [];
    const restoreOnce = (repo: string, which: 'us' | 'them') => {
      const t = join(DATA, `restore-${which}-${n++}`);
      targets.push(t);
      rmSync(t, { recursive: true, force: true });
      return which === 'us' ? us('restore', '-r', repo, '--password-file', PW, 'latest', '--target', t) : them('-r', repo, 'restore', 'latest', '--target', t);
    };
    /** Ours and restic's taking turns, ROUNDS rounds. */
    const turns = (ourRun: () => Run, theirRun: () => Run): [Run[], Run[]] => {
      const a: Run[] = [];
      const b: Run[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        a.push(ourRun());
        b.push(theirRun());
      }
      return [a, b];
    };
    const [restoreOurs, restoreTheirs] = turns(() => restoreOnce(ours, 'us'), () => restoreOnce(theirs, 'them'));
    fig('full restore', restoreOurs, restoreTheirs, mb);
    // Ours makes every file durable before it reports done (one syncfs per group of files); restic
    // 0.14 leaves them to the kernel's writeback. The same restores of ours beside restic's followed
    // by a sync, so both sides stop once the bytes are on disk.
    const durable: Run[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = join(DATA, `restore-them-${n++}`);
      targets.push(t);
      durable.push(timed('sh', ['-c', 'restic --no-cache -r "$1" restore latest --target "$2" && sync', 'sh', theirs, t]));
    }
    fig('full restore, durable on both sides (restic then sync)', restoreOurs, durable, mb);
    fig("full restore of restic's repository (both sides read restic's zstd blobs)", ...turns(() => restoreOnce(theirs, 'us'), () => restoreOnce(theirs, 'them')), mb);
    fig('check --read-data', ...turns(() => us('check', '-r', ours, '--password-file', PW, '--read-data'), () => them('-r', theirs, 'check', '--read-data')), mb);
    const size = (r: string) => Number(execFileSync('du', ['-sb', r]).toString().split('\t')[0]) / 1e6;
    line('repository size', `ours ${size(ours).toFixed(0)} MB (zstd level 1 where it pays)`, `restic ${size(theirs).toFixed(0)} MB (zstd auto)`, '');
    for (const t of targets) rmSync(t, { recursive: true, force: true });
  }
}

main();
