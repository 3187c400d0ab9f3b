import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { initRepository } from '../../../src/core/backup/init';
import { Repository } from '../../../src/core/backup/repository';
import { backup } from '../../../src/core/backup/backup';
import { irreducible } from '../../../src/core/backup/polynomial';
import type { Backend } from '../../../src/core/backup/backend';
import { PASSWORD, fixtureTree, passwordFile, restic, tempDir } from './helpers';
import { assertSameTree } from './compareTrees';
import { si } from './cli';
import { S3_SKIP, s3Repo } from './s3';

describe('init: repositories restic opens, and restic\'s we open', () => {
  const dir = tempDir('init');
  const pw = passwordFile(dir);
  let tree = '';
  before(() => {
    tree = fixtureTree(dir, 2 * 1024 * 1024);
  });

  /** restic backs up into the repository we made, checks it, and restores what it wrote; we read restic's snapshot. */
  async function resticUses(backend: Backend, url: string, version: number, laidOut?: () => void) {
    const ours = await initRepository(backend, PASSWORD, { version: version as 1 | 2 });
    laidOut?.();
    assert.equal(ours.config.version, version);
    assert.ok(irreducible(BigInt(`0x${ours.config.chunker_polynomial}`)), 'the polynomial is irreducible');
    assert.equal(await restic(pw, url, 'snapshots', '--json'), '[]\n');
    await restic(pw, url, 'backup', tree);
    await restic(pw, url, 'check', '--read-data');
    const cat = JSON.parse(await restic(pw, url, 'cat', 'config')) as { version: number; id: string; chunker_polynomial: string };
    assert.deepEqual(cat, ours.config);
    const again = await Repository.open(backend, PASSWORD);
    const snaps = await again.snapshots();
    assert.equal(snaps.length, 1);
    const mine = await backup(again, { paths: [tree] });
    assert.equal(mine.bytesRead, 0, 'our backup takes restic\'s snapshot as parent');
    await restic(pw, url, 'check', '--read-data');
    const target = join(dir, `restored-${version}-${Date.now()}`);
    await restic(pw, url, 'restore', 'latest', '--target', target);
    assertSameTree(tree, join(target, tree));
  }

  for (const version of [1, 2]) {
    it(`version ${version} in a folder: restic snapshots, backup and check --read-data work on ours`, async () => {
      const p = join(dir, `ours-v${version}`);
      await resticUses(new LocalBackend(p), p, version, () => {
        assert.equal(readdirSync(join(p, 'data')).length, 256, 'data/00..ff are laid out');
        assert.deepEqual(readdirSync(p).sort(), ['config', 'data', 'index', 'keys', 'locks', 'snapshots']);
      });
      const key = JSON.parse(readFileSync(join(p, 'keys', readdirSync(join(p, 'keys'))[0]!), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(key), ['created', 'username', 'hostname', 'kdf', 'N', 'r', 'p', 'salt', 'data']);
      assert.equal(key.kdf, 'scrypt');
      assert.equal(Buffer.from(key.salt as string, 'base64').length, 64);
    });
  }

  it('on an S3 prefix (moto): restic uses ours', { skip: S3_SKIP }, async () => {
    const { backend, url } = await s3Repo('init');
    await resticUses(backend, url, 2);
  });

  it('restic inits, we open and back up into it', async () => {
    const p = join(dir, 'theirs');
    await restic(pw, p, 'init', '--repository-version', '2');
    const repo = await Repository.open(new LocalBackend(p), PASSWORD);
    assert.equal(repo.config.version, 2);
    await backup(repo, { paths: [tree] });
    await restic(pw, p, 'check', '--read-data');
  });

  it('refuses a place that holds a repository, and leaves it as it was', async () => {
    const p = join(dir, 'ours-v2');
    const before = readdirSync(join(p, 'keys'));
    await assert.rejects(initRepository(new LocalBackend(p), PASSWORD), { code: 'Exists', message: /already holds a repository/ });
    assert.deepEqual(readdirSync(join(p, 'keys')), before);
  });

  it('CLI init: a repository restic opens; a second init exits 1 and says why', async () => {
    const p = join(dir, 'cli-repo');
    const r = await si('init', '-r', p, '--password-file', pw, '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { id: string };
    assert.equal((JSON.parse(await restic(pw, p, 'cat', 'config')) as { id: string }).id, out.id);
    assert.ok(statSync(join(p, 'config')).isFile());
    const v1 = await si('init', '-r', join(dir, 'cli-v1'), '--password-file', pw, '--repository-version', '1');
    assert.equal(v1.code, 0, v1.stderr);
    assert.equal((JSON.parse(await restic(pw, join(dir, 'cli-v1'), 'cat', 'config')) as { version: number }).version, 1);
    const twice = await si('init', '-r', p, '--password-file', pw);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /already holds a repository/);
    assert.doesNotMatch(twice.stderr, /horse/);
  });
});
