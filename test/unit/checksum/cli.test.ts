import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

let dir: string;

const MAIN = join(__dirname, '..', '..', '..', 'src', 'cli', 'main.ts');

/** Runs `storage-inspector <name> ...args` as a user would. */
function cli(name: string, ...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, name, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('CLI hash and verify', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'si-cli-'));
    writeFileSync(join(dir, 'a.txt'), 'alpha\n');
    writeFileSync(join(dir, 'b\\slash.txt'), 'beta\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('hash prints exactly what sha256sum prints, escaped names included', async () => {
    const files = [join(dir, 'a.txt'), join(dir, 'b\\slash.txt')];
    const { code, out } = cli('hash', ...files);
    assert.equal(code, 0);
    assert.equal(out, execFileSync('/usr/bin/sha256sum', files, { encoding: 'utf8' }));
    const b3 = cli('hash', '-a', 'blake3', ...files);
    assert.equal(b3.out, execFileSync('/usr/bin/b3sum', files, { encoding: 'utf8' }));
  });

  it('hash --manifest writes a SHA256SUMS that sha256sum -c accepts; verify agrees, then reports a change', async () => {
    const w = cli('hash', '--manifest', dir);
    assert.match(w.out, /SHA256SUMS: 2 files/);
    assert.equal(spawnSync('/usr/bin/sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).status, 0);
    assert.equal(cli('verify', dir).code, 0);
    writeFileSync(join(dir, 'a.txt'), 'changed\n');
    writeFileSync(join(dir, 'c.txt'), 'new\n');
    const v = cli('verify', '--quiet', join(dir, 'SHA256SUMS'));
    assert.equal(v.code, 1);
    assert.equal(v.out, 'a.txt: FAILED\nc.txt: NEW (not in the manifest)\n');
  });

  it("verify checks b3sum's own B3SUMS", async () => {
    writeFileSync(join(dir, 'B3SUMS'), execFileSync('/usr/bin/b3sum', ['a.txt', 'b\\slash.txt'], { cwd: dir }));
    const v = cli('verify', '-q', join(dir, 'B3SUMS'));
    assert.equal(v.out.split('\n').filter((l) => /FAILED|MISSING/.test(l)).length, 0);
  });

  it('a wrong invocation prints the usage with exit code 2', () => {
    const r = cli('verify');
    assert.equal(r.code, 2);
    assert.match(r.err, /usage: storage-inspector/);
    assert.match(r.err, /hash \[-a ALG\]/);
  });

  it('refuses a manifest algorithm that is not sha256 or blake3', async () => {
    const r = cli('hash', '-a', 'md5', '--manifest', dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /--manifest: manifests are sha256/);
  });
});
