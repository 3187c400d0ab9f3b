import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';

let dir: string;
let probe: string;

/** Runs atomicWrite as the unprivileged user 65534 (tests run as root, who may write anywhere). */
function saveAsNobody(path: string): { code?: string; message?: string } {
  const r = spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, probe, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { code?: string; message?: string };
}

describe('a save without permission says which permission and what to do', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'si-denied-'));
    chmodSync(dir, 0o755);
    probe = join(dir, 'probe.cjs');
    await build({
      stdin: { contents: `import { atomicWrite } from './src/core/local/atomicWrite'; atomicWrite(process.argv[2], Buffer.from('new')).then(() => console.log('{}'), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));`, resolveDir: process.cwd(), loader: 'ts' },
      bundle: true, platform: 'node', format: 'cjs', outfile: probe, logLevel: 'error',
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a file the user may write, in a folder they may not: NoPermission naming the folder, the file unchanged', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    const file = join(locked, 'doc.txt');
    writeFileSync(file, 'old');
    chmodSync(file, 0o666);
    chmodSync(locked, 0o755);
    const out = saveAsNobody(file);
    assert.equal(out.code, 'NoPermission');
    assert.match(out.message ?? '', /doc\.txt cannot be saved: permission denied to create and rename files in .*locked/);
    assert.match(out.message ?? '', /needs write access to the folder/);
    assert.match(out.message ?? '', /doc\.txt was left as it was/);
    assert.equal(readFileSync(file, 'utf8'), 'old');
    assert.deepEqual(readdirSync(locked), ['doc.txt']);
  });
});
