import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { nodeJson, snapshotJson, walk } from '../../../src/core/backup/listing';
import type { Backend } from '../../../src/core/backup/backend';
import { restore } from '../../../src/core/backup/restore';
import { check } from '../../../src/core/backup/check';
import { assertSameTree } from './compareTrees';
import { PASSWORD, fixtureTree, jsonLines, passwordFile, restic, tempDir } from './helpers';
import { S3_SKIP, s3Repo } from './s3';

/** What we list must be what `restic snapshots --json` and `restic ls --json` list. */
async function sameListing(backend: Backend, pw: string, repoUrl: string): Promise<void> {
  const repo = await Repository.open(backend, PASSWORD);
  const theirs = JSON.parse(await restic(pw, repoUrl, 'snapshots', '--json')) as unknown[];
  const ours = (await repo.snapshots()).map(snapshotJson);
  assert.deepEqual(ours, theirs);
  for (const s of await repo.snapshots()) {
    const lines = jsonLines(await restic(pw, repoUrl, 'ls', '--json', s.id));
    const nodes: unknown[] = [];
    for await (const e of walk(repo, s.tree)) nodes.push(nodeJson(e.node, e.path));
    assert.deepEqual(nodes, lines.slice(1));
    assert.ok(nodes.length > 20, 'the fixture tree was listed');
  }
}

describe('reading repositories restic wrote', () => {
  const dir = tempDir('read');
  const pw = passwordFile(dir);
  let tree = '';
  before(() => {
    tree = fixtureTree(dir);
  });

  for (const version of ['1', '2']) {
    it(`version ${version}, local folder: snapshots and ls match restic's JSON`, async () => {
      const repoPath = join(dir, `repo-v${version}`);
      await restic(pw, repoPath, 'init', '--repository-version', version);
      await restic(pw, repoPath, 'backup', '--tag', 'first', tree);
      await restic(pw, repoPath, 'backup', '--host', 'other-host', tree);
      const repo = await Repository.open(new LocalBackend(repoPath), PASSWORD);
      assert.equal(repo.config.version, Number(version));
      await sameListing(new LocalBackend(repoPath), pw, repoPath);
    });
  }

  it('version 2 on an S3 prefix (moto): snapshots and ls match restic; restore is byte-identical; check --read-data is clean', { skip: S3_SKIP }, async () => {
    const { backend, url } = await s3Repo('read');
    await restic(pw, url, 'init', '--repository-version', '2');
    await restic(pw, url, 'backup', tree);
    await sameListing(backend, pw, url);
    const repo = await Repository.open(backend, PASSWORD);
    const target = join(dir, 'from-s3');
    await restore(repo, 'latest', { target });
    assertSameTree(tree, join(target, tree), { times: true });
    const r = await check(repo, { readData: true });
    assert.deepEqual(r.problems, []);
    assert.ok(r.packsRead > 0);
  });

  it('a wrong password is WrongKey, and says nothing about the password itself', async () => {
    const repoPath = join(dir, 'repo-v2');
    await assert.rejects(Repository.open(new LocalBackend(repoPath), 'not the password'), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'WrongKey');
      assert.doesNotMatch(e.message, /not the password|horse/);
      return true;
    });
  });

  it('a folder that is not a repository is NotFound with what to check', async () => {
    await assert.rejects(Repository.open(new LocalBackend(join(dir, 'nothing-here')), PASSWORD), { code: 'NotFound' });
  });

  it('a local read goes into a buffer it is given when that is large enough, else into memory of its own', async () => {
    const backend = new LocalBackend(join(dir, 'repo-v2'));
    const [pack] = await backend.list('data');
    assert.ok(pack, 'the repository has a pack');
    const whole = await backend.read('data', pack.name);
    const room = new Uint8Array(pack.size + 10).fill(0xee);
    const into = await backend.read('data', pack.name, undefined, room);
    assert.equal(into.buffer, room.buffer, 'read in place');
    assert.equal(into.length, pack.size, 'only the file: not the room after it');
    assert.ok(Buffer.from(into).equals(Buffer.from(whole)));
    const small = new Uint8Array(pack.size - 1);
    const own = await backend.read('data', pack.name, undefined, small);
    assert.notEqual(own.buffer, small.buffer);
    assert.ok(Buffer.from(own).equals(Buffer.from(whole)));
    const part = await backend.read('data', pack.name, { offset: 3, length: 20 }, room);
    assert.ok(Buffer.from(part).equals(Buffer.from(whole).subarray(3, 23)));
  });
});
