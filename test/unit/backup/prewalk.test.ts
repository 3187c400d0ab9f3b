import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backup } from '../../../src/core/backup/backup';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Prewalk } from '../../../src/core/backup/prewalk';
import { Repository } from '../../../src/core/backup/repository';
import { PASSWORD, jsonLines, passwordFile, restic, tempDir } from './helpers';

describe('the walk ahead of a backup', () => {
  const dir = tempDir('prewalk');
  const pw = passwordFile(dir);

  function tree(name: string, files: number): string {
    const root = join(dir, 'trees', name);
    mkdirSync(join(root, 'sub'), { recursive: true });
    for (let i = 0; i < files; i++) writeFileSync(join(root, i % 2 ? 'sub' : '', `f${i}`), `file ${i}\n`);
    return root;
  }

  async function fresh(name: string): Promise<{ repo: Repository; url: string }> {
    const url = join(dir, name);
    await restic(pw, url, 'init', '--repository-version', '2');
    return { repo: await Repository.open(new LocalBackend(url), PASSWORD), url };
  }

  /** Each file's size as `restic ls --json` lists it in a snapshot, by path. */
  function sizes(url: string, snapshot: string): Map<string, number> {
    const out = execFileSync('restic', ['-r', url, '--no-cache', 'ls', '--json', snapshot], { env: { ...process.env, RESTIC_PASSWORD_FILE: pw } }).toString();
    const m = new Map<string, number>();
    for (const n of jsonLines(out) as { type?: string; path?: string; size?: number }[]) if (n.type === 'file') m.set(n.path!, n.size ?? 0);
    return m;
  }

  it('stats a file that is read again as it reads it, so its size and mtime are those of the bytes stored', async () => {
    const root = tree('grown', 4);
    const { repo, url } = await fresh('grown');
    const first = await backup(repo, { paths: [root] });
    const f = join(root, 'f0');
    appendFileSync(f, 'changed once\n');
    const pre = Prewalk.start([root]);
    await pre.done;
    // changed again after the walk ahead saw it: the backup reads the newer bytes
    appendFileSync(f, 'and grown again after the walk ahead\n');
    const second = await backup(repo, { paths: [root], prewalk: pre });
    assert.equal(second.parent, first.snapshotId);
    assert.equal(sizes(url, second.snapshotId).get(f), statSync(f).size);
    const out = join(dir, 'grown-out');
    await restic(pw, url, 'restore', second.snapshotId, '--target', out);
    assert.equal(statSync(join(out, f)).size, statSync(f).size);
    await restic(pw, url, 'check', '--read-data');
  });

  it('takes unchanged entries from the walk ahead: the snapshot is the tree as that walk saw it', async () => {
    const root = tree('seen', 6);
    const { repo, url } = await fresh('seen');
    await backup(repo, { paths: [root] });
    const pre = Prewalk.start([root]);
    await pre.done;
    // removed after the walk ahead listed and stat'ed it: a walk that began then still has it
    rmSync(join(root, 'sub', 'f1'));
    const r = await backup(repo, { paths: [root], prewalk: pre });
    assert.deepEqual(r.warnings, []);
    assert.equal(r.filesUnchanged, 6);
    assert.ok(sizes(url, r.snapshotId).has(join(root, 'sub', 'f1')));
    // and the next backup, with no walk ahead, sees it gone
    const next = await backup(repo, { paths: [root] });
    assert.equal(next.files, 5);
    assert.ok(!sizes(url, next.snapshotId).has(join(root, 'sub', 'f1')));
  });

  it('keeps at most the entries it is allowed; the backup stats the rest itself', async () => {
    const root = tree('capped', 20);
    const pre = Prewalk.start([root], 3);
    await pre.done;
    const all = [root, join(root, 'sub')];
    for (let i = 0; i < 20; i++) all.push(join(root, i % 2 ? 'sub' : '', `f${i}`));
    assert.equal(all.filter((p) => pre.takeNode(p) !== undefined).length, 3);
    const { repo, url } = await fresh('capped');
    const r = await backup(repo, { paths: [root], prewalk: Prewalk.start([root], 3) });
    assert.equal(r.files, 20);
    assert.equal(sizes(url, r.snapshotId).size, 20);
  });

  it('stops when told, and a path that is not there is left for the backup to report', async () => {
    const pre = Prewalk.start([join(dir, 'no-such-folder')]);
    pre.stop();
    await pre.done;
    assert.equal(pre.takeNode(join(dir, 'no-such-folder')), undefined);
    const { repo } = await fresh('missing');
    await assert.rejects(backup(repo, { paths: [join(dir, 'no-such-folder')], prewalk: pre }), (e: Error & { code?: string }) => e.code === 'NotFound' && /no-such-folder/.test(e.message));
  });
});
