import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { backup } from '../../../src/core/backup/backup';
import type { Backend } from '../../../src/core/backup/backend';
import { PASSWORD, fixtureTree, jsonLines, passwordFile, restic, tempDir } from './helpers';
import { assertSameTree } from './compareTrees';
import { S3_SKIP, s3Repo } from './s3';

async function repoBytes(b: Backend): Promise<number> {
  let n = 0;
  for (const t of ['data', 'index', 'snapshots'] as const) for (const f of await b.list(t)) n += f.size;
  return n;
}

/** restic's own summary of one backup: what it says it added. */
async function resticBackup(pw: string, repo: string, ...args: string[]): Promise<{ data_added: number; files_new: number }> {
  const lines = jsonLines(await restic(pw, repo, 'backup', '--json', ...args)) as { message_type: string; data_added: number; files_new: number }[];
  return lines.find((l) => l.message_type === 'summary')!;
}

describe('backing up, read back by restic', () => {
  const dir = tempDir('backup');
  const pw = passwordFile(dir);
  let tree = '';
  let treeBytes = 0;
  before(async () => {
    tree = fixtureTree(dir);
    treeBytes = 20 * 1024 * 1024 + 4 * 1024 * 1024;
  });

  async function roundTrip(backend: Backend, url: string, version: string) {
    await restic(pw, url, 'init', '--repository-version', version);
    const repo = await Repository.open(backend, PASSWORD);
    const seen: { files: number; totalFiles?: number; bytesRead: number; totalBytes?: number }[] = [];
    const r = await backup(repo, { paths: [tree], tags: ['ours'], onProgress: (p) => seen.push(p) });
    assert.deepEqual(r.warnings, []);
    const last = seen[seen.length - 1]!;
    assert.equal(last.files, last.totalFiles, 'progress reaches its total');
    assert.equal(last.bytesRead, last.totalBytes);
    assert.ok(r.bytesRead >= treeBytes);
    await restic(pw, url, 'check', '--read-data');
    const snaps = JSON.parse(await restic(pw, url, 'snapshots', '--json')) as { id: string; tags?: string[]; paths: string[] }[];
    assert.deepEqual(snaps.map((s) => [s.id, s.tags, s.paths]), [[r.snapshotId, ['ours'], [tree]]]);
    const target = join(dir, `restored-${version}-${Date.now()}`);
    await restic(pw, url, 'restore', r.snapshotId, '--target', target);
    assertSameTree(tree, join(target, tree), { times: true });
    return { repo, r };
  }

  for (const version of ['1', '2']) {
    it(`version ${version}, local: restic check --read-data passes and restic restore gives identical files`, async () => {
      const p = join(dir, `repo-v${version}`);
      await roundTrip(new LocalBackend(p), p, version);
    });
  }

  it('on an S3 prefix (moto): restic checks and restores ours', { skip: S3_SKIP }, async () => {
    const { backend, url } = await s3Repo('backup');
    await roundTrip(backend, url, '2');
  });

  it('an unchanged second backup reads nothing and adds only a snapshot', async () => {
    const p = join(dir, 'repo-v2');
    const repo = await Repository.open(new LocalBackend(p), PASSWORD);
    const r = await backup(repo, { paths: [tree] });
    assert.equal(r.bytesRead, 0);
    assert.equal(r.filesUnchanged, r.files);
    assert.ok(r.parent, 'the first snapshot was taken as parent');
    assert.ok(r.bytesAdded < 4096, `added ${r.bytesAdded}`);
    writeFileSync(join(tree, 'small.txt'), 'changed\n');
    const r2 = await backup(repo, { paths: [tree] });
    assert.equal(r2.files - r2.filesUnchanged, 1);
    assert.equal(r2.bytesRead, 'changed\n'.length);
  });

  it('deduplicates against restic both ways: < 1% of the tree added', async () => {
    const p = join(dir, 'repo-dedup');
    await restic(pw, p, 'init', '--repository-version', '2');
    await resticBackup(pw, p, tree);
    const backend = new LocalBackend(p);
    const before = await repoBytes(backend);
    const repo = await Repository.open(backend, PASSWORD);
    const ours = await backup(repo, { paths: [tree], host: 'another-host' }); // no parent: every file is read
    assert.ok(ours.bytesRead >= treeBytes);
    const added = (await repoBytes(backend)) - before;
    assert.ok(added < treeBytes / 100, `we added ${added} bytes after restic's backup`);

    const q = join(dir, 'repo-dedup-2');
    await restic(pw, q, 'init', '--repository-version', '2');
    const repo2 = await Repository.open(new LocalBackend(q), PASSWORD);
    await backup(repo2, { paths: [tree] });
    const theirs = await resticBackup(pw, q, '--force', tree);
    assert.ok(theirs.data_added < treeBytes / 100, `restic added ${theirs.data_added} bytes after ours`);
  });
});
