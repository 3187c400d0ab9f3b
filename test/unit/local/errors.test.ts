import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { isStorageError } from '../../../src/core/errors';
import { readHead, readLimited } from '../../../src/core/local/read';
import { resolveInRoot, rootFor, rootsFrom } from '../../../src/core/local/roots';
import { sniff } from '../../../src/core/local/magic';

let dir: string;

describe('local errors, roots and sniffing', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'si-errors-'));
    chmodSync(dir, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an unreadable file is NoPermission with a clear message (checked as an unprivileged user, since tests run as root)', async () => {
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'top');
    chmodSync(secret, 0o000);
    const probe = join(dir, 'probe.cjs');
    await build({
      stdin: { contents: `import { readLimited } from './src/core/local/read'; readLimited(process.argv[2], 1e6).then(() => console.log('{}'), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));`, resolveDir: process.cwd(), loader: 'ts' },
      bundle: true, platform: 'node', format: 'cjs', outfile: probe, logLevel: 'error',
    });
    const r = spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, probe, secret], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { code?: string; message?: string };
    assert.equal(out.code, 'NoPermission');
    assert.match(out.message ?? '', /Permission denied for .*secret\.txt\. Check the file's owner and mode/);
    chmodSync(secret, 0o600);
    assert.equal(readFileSync(secret, 'utf8'), 'top', 'nothing changed on disk');
  });

  it('readLimited refuses an over-limit file before reading it', async () => {
    const p = join(dir, 'big');
    writeFileSync(p, Buffer.alloc(2000));
    await assert.rejects(readLimited(p, 1000), (e) => isStorageError(e) && e.code === 'TooLarge' && /2\.0 KB/.test(e.message));
    assert.equal((await readLimited(p, 2000)).length, 2000);
  });

  it('readHead reads only the first bytes', async () => {
    const p = join(dir, 'head');
    writeFileSync(p, 'abcdefgh');
    assert.equal(Buffer.from(await readHead(p, 3)).toString(), 'abc');
    assert.equal(Buffer.from(await readHead(p, 100)).toString(), 'abcdefgh');
  });

  it('sniffs gzip, age and armored age by magic bytes, not by name', () => {
    assert.equal(sniff(new Uint8Array([0x1f, 0x8b, 8, 0])), 'gzip');
    assert.equal(sniff(Buffer.from('age-encryption.org/v1\n-> X25519 abc\n')), 'age');
    assert.equal(sniff(Buffer.from('-----BEGIN AGE ENCRYPTED FILE-----\nYWdl')), 'age-armor');
    assert.equal(sniff(Buffer.from('{"json": true}')), 'plain');
    assert.equal(sniff(new Uint8Array([0x1f])), 'plain');
  });

  it('sends every age-looking header to the codec, which refuses what it cannot read', () => {
    assert.equal(sniff(Buffer.from('age-encryption.org/v2\n-> X25519 abc\n')), 'age');
    assert.equal(sniff(Buffer.from('age-encryption.org/v1\r\n-> X25519 abc\r\n')), 'age');
    assert.equal(sniff(Buffer.from('\ufeffage-encryption.org/v1\n', 'utf16le')), 'age');
    assert.equal(sniff(Buffer.from('agenda for today')), 'plain');
  });

  it('root ids are stable per path and paths cannot climb out of a root', () => {
    const r = rootFor('/srv/data/');
    assert.equal(r.id, rootFor('/srv/data').id);
    assert.notEqual(r.id, rootFor('/srv/other').id);
    assert.equal(resolveInRoot(r, 'a/b c.txt'), '/srv/data/a/b c.txt');
    assert.throws(() => resolveInRoot(r, '../etc/passwd'), (e) => isStorageError(e) && e.code === 'BadInput');
    assert.throws(() => resolveInRoot(r, 'a/../../x'), (e) => isStorageError(e) && e.code === 'BadInput');
    assert.deepEqual(rootsFrom(['/a', '/a/', 7, '', '/b']).map((x) => x.path), ['/a', '/b']);
  });

  it('a path with unusual characters reads and writes like any other', async () => {
    const odd = join(dir, 'sub dir', 'ü €\\ #?%.txt');
    mkdirSync(join(dir, 'sub dir'));
    writeFileSync(odd, 'odd');
    assert.equal((await readLimited(odd, 100)).toString(), 'odd');
  });
});
