import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PASSWORD, fixtureTree, jsonLines, passwordFile, restic, tempDir } from './helpers';
import { assertSameTree } from './compareTrees';
import { si } from './cli';

describe('CLI: snapshots, ls, restore, backup, check', () => {
  const dir = tempDir('cli');
  const pw = passwordFile(dir);
  const repo = join(dir, 'repo');
  let tree = '';
  before(async () => {
    tree = fixtureTree(dir, 1024 * 1024);
    await restic(pw, repo, 'init', '--repository-version', '2');
    await restic(pw, repo, 'backup', tree);
  });

  it('snapshots --json and ls --json print what restic prints', async () => {
    const s = await si('snapshots', '-r', repo, '--password-file', pw, '--json');
    assert.equal(s.code, 0, s.stderr);
    assert.deepEqual(JSON.parse(s.stdout), JSON.parse(await restic(pw, repo, 'snapshots', '--json')));
    const l = await si('ls', '-r', repo, '--password-file', pw, '--json', 'latest');
    assert.deepEqual(jsonLines(l.stdout), jsonLines(await restic(pw, repo, 'ls', '--json', 'latest')));
  });

  it('backup, then restic check --read-data and restic snapshots accept it; restore gives the tree back', async () => {
    writeFileSync(join(tree, 'new.txt'), 'from our CLI\n');
    const b = await si('backup', '-r', repo, '--password-file', pw, '--json', '--tag', 'cli', tree);
    assert.equal(b.code, 0, b.stderr);
    const summary = JSON.parse(b.stdout) as { snapshot_id: string; files_new: number };
    assert.equal(summary.files_new, 1, 'only the new file was read');
    await restic(pw, repo, 'check', '--read-data');
    const snaps = JSON.parse(await restic(pw, repo, 'snapshots', '--json')) as { id: string; tags?: string[] }[];
    assert.deepEqual(snaps[1]!.tags, ['cli']);
    const target = join(dir, 'restored');
    const r = await si('restore', '-r', repo, '--password-file', pw, summary.snapshot_id, '--target', target);
    assert.equal(r.code, 0, r.stderr);
    assertSameTree(tree, join(target, tree), { times: true });
    const again = await si('restore', '-r', repo, '--password-file', pw, summary.snapshot_id, '--target', target);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exist.*Nothing was written/s);
  });

  it('check exits 0 when clean and 1 naming the damaged file when a pack byte flips', async () => {
    const ok = await si('check', '-r', repo, '--password-file', pw, '--read-data');
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const packs = readdirSync(join(repo, 'data')).flatMap((d) => readdirSync(join(repo, 'data', d)).map((f) => join(repo, 'data', d, f)));
    const p = packs[0]!;
    chmodSync(p, 0o600);
    const bytes = readFileSync(p);
    bytes[40]! ^= 0x80;
    writeFileSync(p, bytes);
    const bad = await si('check', '-r', repo, '--password-file', pw, '--read-data');
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /error: .*MAC does not match/);
    assert.match(bad.stdout, /damaged: snapshot [0-9a-f]{8} \//);
  });

  it('--password-command works as restic\'s does, and its failure says so without its output', async () => {
    const ok = await si('snapshots', '-r', repo, '--password-command', `cat ${pw}`, '--json');
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await si('snapshots', '-r', repo, '--password-command', 'echo leaked-secret; exit 3');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /password command failed/);
    assert.doesNotMatch(bad.stderr, /leaked-secret/);
  });

  it('a wrong password: exit 1, a message that says what to check, and no password in it', async () => {
    const wrong = passwordFile(join(dir, 'tree'), 'a wrong one');
    const r = await si('snapshots', '-r', repo, '--password-file', wrong);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /password opens none/);
    assert.doesNotMatch(r.stderr + r.stdout, /a wrong one|horse/);
    void PASSWORD;
  });
});
