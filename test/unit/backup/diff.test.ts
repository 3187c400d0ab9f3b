import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { backup } from '../../../src/core/backup/backup';
import { compareInSnapshots, diffSnapshots, readSnapshotFile, type DiffCounts } from '../../../src/core/backup/diff';
import { findInSnapshots, findMatchJson } from '../../../src/core/backup/find';
import { PASSWORD, fixtureTree, jsonLines, passwordFile, restic, tempDir } from './helpers';
import { si } from './cli';

const counts = (c: DiffCounts) => ({ files: c.files, dirs: c.dirs, others: c.others, data_blobs: c.dataBlobs, tree_blobs: c.treeBlobs, bytes: c.bytes });

describe('diff and find, against restic diff and restic find', () => {
  const dir = tempDir('diff');
  const pw = passwordFile(dir);
  const repoPath = join(dir, 'repo');
  let repo: Repository;
  let tree = '';
  /** restic's first and second snapshot, then ours of the second state */
  const ids: string[] = [];
  before(async () => {
    tree = fixtureTree(dir, 1024 * 1024);
    await restic(pw, repoPath, 'init', '--repository-version', '2');
    await restic(pw, repoPath, 'backup', tree);
    writeFileSync(join(tree, 'small.txt'), 'changed content\n');
    rmSync(join(tree, 'deep/a/b/c'), { recursive: true });
    mkdirSync(join(tree, 'new folder/inner'), { recursive: true });
    writeFileSync(join(tree, 'new folder/inner/x.txt'), 'x\n');
    chmodSync(join(tree, 'private'), 0o640);
    unlinkSync(join(tree, 'link-to-small'));
    mkdirSync(join(tree, 'link-to-small'));
    unlinkSync(join(tree, 'zero'));
    symlinkSync('small.txt', join(tree, 'zero'));
    writeFileSync(join(tree, 'odd names/Ünïcode NEW.txt'), 'u\n');
    await restic(pw, repoPath, 'backup', tree);
    repo = await Repository.open(new LocalBackend(repoPath), PASSWORD);
    const ours = await backup(repo, { paths: [tree], host: 'other-host' });
    ids.push(...(await repo.snapshots()).map((s) => s.id));
    assert.equal(ids[2], ours.snapshotId);
  });

  async function same(a: string, b: string, metadata: boolean) {
    const theirs = jsonLines(await restic(pw, repoPath, 'diff', '--json', ...(metadata ? ['--metadata'] : []), a, b)) as Record<string, unknown>[];
    const r = await diffSnapshots(repo, a, b, { metadata });
    const ours = [...r.changes.map((c) => ({ message_type: 'change', path: c.path, modifier: c.modifier })), { message_type: 'statistics', source_snapshot: a, target_snapshot: b, changed_files: r.changedFiles, added: counts(r.added), removed: counts(r.removed) }];
    assert.deepEqual(ours, theirs);
    return r;
  }

  it('restic\'s two snapshots: the same changes and figures as restic diff, with and without --metadata', async () => {
    const r = await same(ids[0]!, ids[1]!, false);
    const mods = new Map(r.changes.map((c) => [c.path, c.modifier]));
    assert.equal(mods.get(`${tree}/small.txt`), 'M');
    assert.equal(mods.get(`${tree}/deep/a/b/c/`), '-');
    assert.equal(mods.get(`${tree}/new folder/inner/x.txt`), '+');
    assert.equal(mods.get(`${tree}/zero`), 'T');
    await same(ids[0]!, ids[1]!, true);
    await same(ids[1]!, ids[0]!, true);
  });

  it('restic\'s snapshot against ours of the same files: as restic diff sees it (no content change)', async () => {
    const r = await same(ids[1]!, ids[2]!, true);
    assert.equal(r.changedFiles, 0);
    await same(ids[0]!, ids[2]!, false);
  });

  it('CLI diff prints restic diff\'s text', async () => {
    const ours = await si('diff', '-r', repoPath, '--password-file', pw, ids[0]!.slice(0, 8), ids[1]!.slice(0, 8));
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(ours.stdout, await restic(pw, repoPath, 'diff', ids[0]!.slice(0, 8), ids[1]!.slice(0, 8)));
  });

  it('one path compared between snapshots, and its bytes read back', async () => {
    const c = await compareInSnapshots(repo, ids[0]!, ids[1]!, `${tree}/small.txt`);
    assert.equal(c.modifier, 'M');
    assert.equal(Buffer.from(await readSnapshotFile(repo, c.a!)).toString(), 'hello restic\n');
    assert.equal(Buffer.from(await readSnapshotFile(repo, c.b!)).toString(), 'changed content\n');
    assert.equal((await compareInSnapshots(repo, ids[0]!, ids[1]!, `${tree}/new folder`)).modifier, '+');
    assert.equal((await compareInSnapshots(repo, ids[1]!, ids[2]!, `${tree}/big.bin`)).modifier, '');
    await assert.rejects(compareInSnapshots(repo, ids[0]!, ids[1]!, '/no/such/path'), { code: 'NotFound' });
  });

  const bySnapshot = (a: { snapshot: string }, b: { snapshot: string }) => (a.snapshot < b.snapshot ? -1 : 1);
  for (const [pattern, ...flags] of [['small.txt'], ['*.bin'], ['deep'], [`${tree}/odd names`], ['**/g/*'], ['ünïcode*', '-i'], ['[a-c]*'], ['?ero'], ['odd names/*quotes*'], ['/nothing']]) {
    it(`find ${[...flags, pattern].join(' ')}: what restic find --json finds`, async () => {
      const theirs = (JSON.parse(await restic(pw, repoPath, 'find', '--json', ...flags, pattern!)) as { snapshot: string }[]).sort(bySnapshot);
      const hits = await findInSnapshots(repo, pattern!, { ignoreCase: flags.includes('-i') });
      const ours = hits.map((h) => ({ matches: h.matches.map(findMatchJson), hits: h.matches.length, snapshot: h.snapshot.id })).sort(bySnapshot);
      assert.deepEqual(ours, theirs);
    });
  }

  it('CLI find --json, and -s narrows to one snapshot', async () => {
    const r = await si('find', '-r', repoPath, '--password-file', pw, '--json', '-s', ids[1]!.slice(0, 8), '*.txt');
    assert.equal(r.code, 0, r.stderr);
    const hits = JSON.parse(r.stdout) as { snapshot: string; hits: number }[];
    assert.deepEqual(hits.map((h) => h.snapshot), [ids[1]]);
    assert.ok(hits[0]!.hits >= 3);
  });
});
