import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { passwordFile, restic, tempDir } from './helpers';
import { S3_SKIP, s3Repo } from './s3';

const exec = promisify(execFile);
const DIST = resolve(__dirname, '../../../dist');

// The CLI as shipped (dist/cli.js, with the AWS SDK in dist/backup-s3.js beside it), not the
// TypeScript the other CLI tests run: the build's mapping of that module must hold.
describe('the bundled CLI', () => {
  const dir = tempDir('bundle');
  const pw = passwordFile(dir);

  it('is built, and keeps the AWS SDK out of cli.js', () => {
    assert.ok(existsSync(join(DIST, 'cli.js')), 'dist/cli.js is missing: run node scripts/build.mjs first');
    assert.ok(existsSync(join(DIST, 'backup-s3.js')), 'dist/backup-s3.js is missing');
  });

  it('backs up to and lists an S3 repository (moto), which restic reads', { skip: S3_SKIP }, async () => {
    const { url } = await s3Repo('bundle');
    await restic(pw, url, 'init', '--repository-version', '2');
    const src = join(dir, 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'through the bundle\n');
    const cli = (...args: string[]) => exec(process.execPath, [join(DIST, 'cli.js'), ...args], { env: { ...process.env, NODE_OPTIONS: '' } });
    const b = await cli('backup', '-r', url, '--password-file', pw, '--json', src);
    const id = (JSON.parse(b.stdout) as { snapshot_id: string }).snapshot_id;
    const s = await cli('snapshots', '-r', url, '--password-file', pw, '--json');
    assert.deepEqual((JSON.parse(s.stdout) as { id: string }[]).map((x) => x.id), [id]);
    assert.match(await restic(pw, url, 'ls', id), /a\.txt/);
  });
});
