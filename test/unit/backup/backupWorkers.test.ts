import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backup } from '../../../src/core/backup/backup';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import type { Backend, FileType } from '../../../src/core/backup/backend';
import { PASSWORD, jsonLines, noise, passwordFile, restic, tempDir } from './helpers';

/** Worker threads alive in this process: each holds a MessagePort to it. */
const ports = (): number => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;

function smallTree(parent: string): string {
  const root = join(parent, 'tree');
  mkdirSync(join(root, 'a'), { recursive: true });
  for (let i = 0; i < 12; i++) writeFileSync(join(root, 'a', `f${i}`), noise(200_000 + i, i + 1));
  writeFileSync(join(root, 'big'), noise(3 * 1024 * 1024, 99));
  return root;
}

/** A local backend that runs `before` once, just before the first lock file is written. */
function beforeFirstLock(url: string, before: () => Promise<unknown>): Backend {
  const inner = new LocalBackend(url);
  let done = false;
  return Object.assign(Object.create(inner) as Backend, {
    async write(type: FileType, name: string, data: Uint8Array): Promise<void> {
      if (type === 'locks' && !done) {
        done = true;
        await before();
      }
      return inner.write(type, name, data);
    },
  });
}

describe('backup on worker threads', () => {
  const dir = tempDir('bworkers');
  const pw = passwordFile(dir);
  const tree = smallTree(dir);

  async function fresh(name: string): Promise<{ repo: Repository; url: string }> {
    const url = join(dir, name);
    await restic(pw, url, 'init', '--repository-version', '2');
    return { repo: await Repository.open(new LocalBackend(url), PASSWORD), url };
  }

  it('ends its threads when it succeeds, and restic checks what they sealed', async () => {
    const { repo, url } = await fresh('ok');
    const before = ports();
    const r = await backup(repo, { paths: [tree], workers: { threads: 2, inlineWhileStarting: false } });
    assert.deepEqual(r.warnings, []);
    assert.equal(r.files, 13);
    assert.equal(ports(), before, 'no worker thread is left running');
    await restic(pw, url, 'check', '--read-data');
  });

  it('ends its threads when it is cancelled', async () => {
    const { repo } = await fresh('cancel');
    const before = ports();
    const ac = new AbortController();
    const run = backup(repo, { paths: [tree], signal: ac.signal, workers: { threads: 2, inlineWhileStarting: false }, onProgress: (p) => p.files >= 2 && ac.abort() });
    await assert.rejects(run, (e: Error & { code?: string }) => e.code === 'Cancelled');
    assert.equal(ports(), before, 'no worker thread is left running');
  });

  it('reads the snapshots again when one was saved while it took the lock, and takes that one as parent', async () => {
    const url = join(dir, 'raced');
    await restic(pw, url, 'init', '--repository-version', '2');
    await restic(pw, url, 'backup', '--host', 'h', tree);
    // the index and snapshots are read early, beside taking the lock; restic adds a snapshot then
    const repo = await Repository.open(beforeFirstLock(url, () => restic(pw, url, 'backup', '--host', 'h', tree)), PASSWORD);
    const r = await backup(repo, { paths: [tree], host: 'h' });
    const snaps = (JSON.parse(await restic(pw, url, 'snapshots', '--json')) as { id: string; time: string }[]).sort((a, b) => (a.time < b.time ? -1 : 1));
    assert.equal(snaps.length, 3);
    assert.equal(r.parent, snaps[1]!.id, "the parent is the snapshot restic saved while the lock was taken");
    assert.equal(r.filesUnchanged, r.files, 'against that parent nothing changed');
    await restic(pw, url, 'check');
  });

  it('writes no pack before its lock is in place, though it walks and seals while the lock protocol runs', async () => {
    const url = join(dir, 'gated');
    await restic(pw, url, 'init', '--repository-version', '2');
    const inner = new LocalBackend(url);
    let lockWritten = false;
    const early: string[] = [];
    // the lock file is held back until a pack write is tried (or 3 s): the walk has every chance to write one first
    let release!: () => void;
    let timer: NodeJS.Timeout | undefined;
    // a timer that keeps the process alive: a backup this small starts no worker thread that would
    const held = new Promise<void>((r) => {
      release = r;
      timer = setTimeout(r, 3000);
    });
    const backend = Object.assign(Object.create(inner) as Backend, {
      async write(type: FileType, name: string, data: Uint8Array): Promise<void> {
        if (type === 'data' && !lockWritten) {
          early.push(name);
          release();
        }
        if (type === 'locks' && !lockWritten) {
          await held;
          await inner.write(type, name, data);
          lockWritten = true;
          return;
        }
        return inner.write(type, name, data);
      },
    });
    const repo = await Repository.open(backend, PASSWORD);
    const r = await backup(repo, { paths: [tree] }).finally(() => clearTimeout(timer));
    assert.deepEqual(early, [], 'no pack was written before the lock file');
    assert.ok(r.bytesAdded > 3 * 1024 * 1024, 'the tree is more than a pack');
    await restic(pw, url, 'check', '--read-data');
  });

  it('writes a new tree for a folder when one entry deep in it changed only its mode', async () => {
    const { repo, url } = await fresh('mode');
    const first = await backup(repo, { paths: [tree] });
    chmodSync(join(tree, 'a', 'f3'), 0o600);
    try {
      const second = await backup(repo, { paths: [tree] });
      assert.equal(second.parent, first.snapshotId);
      const ls = (snap: string) => jsonLines(execFileSync('restic', ['-r', url, '--no-cache', 'ls', '--json', snap], { env: { ...process.env, RESTIC_PASSWORD_FILE: pw } }).toString()) as { path?: string; mode?: number }[];
      const mode = (snap: string) => ls(snap).find((n) => n.path?.endsWith('/a/f3'))?.mode;
      assert.equal(mode(second.snapshotId)! & 0o777, 0o600);
      assert.notEqual(mode(first.snapshotId)! & 0o777, 0o600);
    } finally {
      chmodSync(join(tree, 'a', 'f3'), 0o644);
    }
  });

  it('fails as a whole, with no snapshot, when a worker thread dies (not one warning per file)', async () => {
    const { repo, url } = await fresh('dies');
    const bad = join(dir, 'bad-worker.js');
    writeFileSync(bad, "throw new Error('this test worker fails as it starts');\n");
    const before = ports();
    await assert.rejects(
      backup(repo, { paths: [tree], workers: { threads: 2, workerPath: bad, inlineWhileStarting: false } }),
      (e: Error & { code?: string }) => e.code === 'Unavailable' && /backup worker thread stopped/.test(e.message),
    );
    assert.equal(ports(), before, 'no worker thread is left running');
    assert.equal((await restic(pw, url, 'snapshots', '--json')).trim(), '[]');
    await restic(pw, url, 'check');
  });
});
