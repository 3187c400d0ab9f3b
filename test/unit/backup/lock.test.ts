import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { backup } from '../../../src/core/backup/backup';
import { lockRepository } from '../../../src/core/backup/lock';
import { PASSWORD, RESTIC, passwordFile, restic, tempDir } from './helpers';
import { writeFileSync, mkdirSync } from 'node:fs';

async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("restic's lock protocol", () => {
  const dir = tempDir('lock');
  const pw = passwordFile(dir);
  const repoPath = join(dir, 'repo');
  const src = join(dir, 'src');
  const locks = () => readdirSync(join(repoPath, 'locks'));
  let holder: ChildProcess | undefined;
  before(async () => {
    mkdirSync(src);
    writeFileSync(join(src, 'a.txt'), 'a\n');
    await restic(pw, repoPath, 'init', '--repository-version', '2');
  });
  after(() => holder?.kill('SIGKILL'));

  it('a repository restic holds exclusively is refused, naming the lock holder and time; nothing is written', async () => {
    // `restic key passwd` takes the exclusive lock, then waits on stdin for the new password.
    holder = spawn(RESTIC, ['-r', repoPath, '--no-cache', 'key', 'passwd'], { env: { ...process.env, RESTIC_PASSWORD_FILE: pw }, stdio: ['pipe', 'ignore', 'ignore'] });
    await waitFor(() => locks().length === 1);
    const repo = await Repository.open(new LocalBackend(repoPath), PASSWORD);
    const snapsBefore = readdirSync(join(repoPath, 'snapshots'));
    await assert.rejects(backup(repo, { paths: [src] }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'Conflict');
      assert.match(e.message, /exclusively/);
      assert.ok(e.message.includes(hostname()), e.message);
      assert.match(e.message, /\d{4}-\d\d-\d\dT\d\d:\d\d/);
      assert.match(e.message, new RegExp(`pid ${holder!.pid}`));
      return true;
    });
    assert.deepEqual(readdirSync(join(repoPath, 'snapshots')), snapsBefore);
    assert.equal(locks().length, 1, 'only restic\'s lock is there');
    holder.kill('SIGKILL');
    await new Promise((r) => holder!.once('exit', r));
    holder = undefined;
  });

  it("restic's exclusive commands refuse while we hold our (non-exclusive) lock; its backup runs beside it", async () => {
    const repo = await Repository.open(new LocalBackend(repoPath), PASSWORD);
    // restic's own lock above was left by a killed process on this host: stale, so it does not block us
    const lock = await lockRepository(repo);
    // restic 0.14 still counts that dead process's lock until `unlock` removes stale locks (ours is live, so it stays)
    await restic(pw, repoPath, 'unlock');
    assert.ok(locks().includes(lock.name()));
    await assert.rejects(restic(pw, repoPath, 'prune'), (e: Error & { stderr?: string }) => /locked/i.test(e.stderr ?? ''));
    await restic(pw, repoPath, 'backup', src);
    await lock.release();
    assert.deepEqual(locks(), []);
  });

  it('refreshes its lock (a new file, the old one removed) and removes it at the end', async () => {
    const repo = await Repository.open(new LocalBackend(repoPath), PASSWORD);
    const lock = await lockRepository(repo, false, 150);
    const first = lock.name();
    await waitFor(() => lock.name() !== first);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(locks(), [lock.name()]);
    await lock.release();
    assert.deepEqual(locks(), []);
  });
});
