// The CLI's -o never destroys a file: the same file as input is refused (as age does), and a
// failed decode leaves an existing -o file exactly as it was.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { generateIdentity } from '../../../src/core/codec/pipeline';
import { recordFault } from '../../support/faultLedger';
import { cli } from './support';

const dir = mkdtempSync(join(tmpdir(), 'si-cli-out-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const me = generateIdentity();
/** A fresh identity file, so a test that loses one cannot break the next. */
function idFileFor(name: string): string {
  const path = join(dir, `${name}.key`);
  writeFileSync(path, `${me.identity}\n`);
  return path;
}
const text = Buffer.from('line of the user\'s data\n'.repeat(2000));

/** Bytes of `before` that are no longer in the file (0 when it is unchanged). */
function lost(path: string, before: Buffer): number {
  const now = readFileSync(path);
  return now.equals(before) ? 0 : before.length;
}

describe('CLI -o keeps existing files', () => {
  it('decode -o X X is refused with exit 1, and X keeps its bytes', () => {
    const x = join(dir, 'same.gz');
    const before = gzipSync(text);
    writeFileSync(x, before);
    const r = cli(['decode', '-o', x, x]);
    const bytesLost = lost(x, before);
    recordFault({ suite: 'cli.decode', fault: 'output-is-input', operations: 1, bytesLost });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /same file/);
    assert.equal(bytesLost, 0);
  });

  it('encode -o X X (also through a symlink, and -o the identity file) is refused, and the files keep their bytes', () => {
    const x = join(dir, 'plain.txt');
    writeFileSync(x, text);
    const link = join(dir, 'plain-link.txt');
    symlinkSync(x, link);
    const idFile = idFileFor('same');
    const idBefore = readFileSync(idFile);
    const runs = [
      cli(['encode', '--gzip', '-o', x, x]),
      cli(['encode', '-r', me.recipient, '-o', link, x]),
      cli(['encode', '-R', idFile, '-o', idFile, x]),
      cli(['decode', '-i', idFile, '-o', idFile, x]),
    ];
    const bytesLost = lost(x, text) + lost(idFile, idBefore);
    recordFault({ suite: 'cli.encode', fault: 'output-is-input', operations: runs.length, bytesLost });
    for (const r of runs) {
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /same file/);
    }
    assert.equal(bytesLost, 0);
  });

  it('a failed decode (wrong key, damaged payload) leaves an existing -o file untouched, and no temp file', () => {
    const idFile = idFileFor('keep');
    const out = join(dir, 'keep.txt');
    const kept = Buffer.from('precious earlier output\n');
    writeFileSync(out, kept);
    const wrongKey = execFileSync('/usr/bin/age', ['-r', generateIdentity().recipient], { input: text });
    const sealed = execFileSync('/usr/bin/age', ['-r', me.recipient], { input: Buffer.concat([text, text, text, text]) });
    const damaged = Buffer.from(sealed);
    damaged.writeUInt8((damaged.at(-100) as number) ^ 1, damaged.length - 100);
    const runs = [cli(['decode', '-i', idFile, '-o', out], { input: wrongKey }), cli(['decode', '-i', idFile, '-o', out], { input: damaged })];
    const bytesLost = lost(out, kept);
    recordFault({ suite: 'cli.decode', fault: 'failed-decode-over-existing-output', operations: runs.length, bytesLost });
    for (const r of runs) assert.equal(r.code, 1, r.stderr);
    assert.match(runs[1]?.stderr ?? '', /authentication|damaged/);
    assert.equal(bytesLost, 0);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('keep.txt') && n !== 'keep.txt'), []);
  });

  it('a successful decode -o replaces the file and keeps its mode', () => {
    const out = join(dir, 'mode.txt');
    writeFileSync(out, 'old', { mode: 0o600 });
    const r = cli(['decode', '-o', out], { input: gzipSync(text) });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(out), text);
    assert.equal((execFileSync('/usr/bin/stat', ['-c', '%a', out]).toString().trim()), '600');
  });
});
