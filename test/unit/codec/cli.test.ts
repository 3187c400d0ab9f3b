// The CLI, spawned as a user would run it, against age and gzip.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateIdentity } from '../../../src/core/codec/pipeline';
import { random } from './helpers';

const MAIN = resolve(__dirname, '../../../src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'si-codec-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], opts: { input?: Uint8Array; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    input: opts.input,
    env: { ...process.env, ...opts.env },
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

const me = generateIdentity();
const idFile = join(dir, 'id.txt');
writeFileSync(idFile, `# created by the test\n${me.identity}\n`);
const text = Buffer.from('{"level":"info","msg":"cli"}\n'.repeat(5000));

describe('storage-inspector CLI', () => {
  it('encode --gzip -r: readable by age -d | gzip -dc, and by decode -i', () => {
    const inFile = join(dir, 'log.json');
    writeFileSync(inFile, text);
    const outFile = join(dir, 'log.json.gz.age');
    const enc = cli(['encode', '--gzip', '-r', me.recipient, '-o', outFile, inFile]);
    assert.equal(enc.code, 0, enc.stderr);
    const viaAge = execFileSync('/usr/bin/gzip', ['-dc'], { input: execFileSync('/usr/bin/age', ['-d', '-i', idFile, outFile]) });
    assert.deepEqual(viaAge, text);
    const dec = cli(['decode', '-i', idFile, outFile]);
    assert.equal(dec.code, 0, dec.stderr);
    assert.deepEqual(dec.stdout, text);
  });
  it('decode reads age -a output from stdin', () => {
    const plain = random(150_000);
    const sealed = execFileSync('/usr/bin/age', ['-a', '-r', me.recipient], { input: plain });
    const dec = cli(['decode', '-i', idFile], { input: sealed });
    assert.equal(dec.code, 0, dec.stderr);
    assert.deepEqual(dec.stdout, Buffer.from(plain));
  });
  it('encode -p -a and decode with the passphrase from the environment', () => {
    const env = { STORAGE_INSPECTOR_PASSPHRASE: 'cli-pass' };
    const enc = cli(['encode', '-p', '-a'], { input: text, env });
    assert.equal(enc.code, 0, enc.stderr);
    assert.match(enc.stdout.toString(), /^-----BEGIN AGE ENCRYPTED FILE-----\n/);
    const dec = cli(['decode'], { input: enc.stdout, env });
    assert.deepEqual(dec.stdout, text);
    const wrong = cli(['decode'], { input: enc.stdout, env: { STORAGE_INSPECTOR_PASSPHRASE: 'nope' } });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /passphrase is wrong/);
  });
  it('encode -p reads the passphrase from the terminal (under a pty), like age', () => {
    const inFile = join(dir, 'tty-in.txt');
    const outFile = join(dir, 'tty-out.age');
    writeFileSync(inFile, text);
    const env = { ...process.env };
    delete env.STORAGE_INSPECTOR_PASSPHRASE;
    const command = `${process.execPath} --import tsx ${MAIN} encode -p -o ${outFile} ${inFile}`;
    execFileSync('/usr/bin/script', ['-qec', command, '/dev/null'], { input: 'typed-pass\n', env, stdio: ['pipe', 'pipe', 'pipe'] });
    const dec = cli(['decode', outFile], { env: { STORAGE_INSPECTOR_PASSPHRASE: 'typed-pass' } });
    assert.equal(dec.code, 0, dec.stderr);
    assert.deepEqual(dec.stdout, text);
  });
  it('a wrong identity fails with exit 1, a clear message, and no output file', () => {
    const sealed = execFileSync('/usr/bin/age', ['-r', generateIdentity().recipient], { input: text });
    const outFile = join(dir, 'never.txt');
    const dec = cli(['decode', '-i', idFile, '-o', outFile], { input: sealed });
    assert.equal(dec.code, 1);
    assert.match(dec.stderr, /None of the 1 identities matches/);
    assert.ok(!dec.stderr.includes(me.identity));
    assert.equal(existsSync(outFile), false);
  });
  it('usage errors exit 2', () => {
    assert.equal(cli([]).code, 2);
    assert.equal(cli(['frobnicate']).code, 2);
    assert.equal(cli(['encode'], { input: text }).code, 2);
    assert.equal(cli(['decode', '--bogus']).code, 2);
  });
  it('reads -R recipients files with age1 lines or identities', () => {
    const rFile = join(dir, 'recipients.txt');
    writeFileSync(rFile, `${generateIdentity().recipient}\n${me.identity}\n`);
    const enc = cli(['encode', '-R', rFile], { input: text });
    assert.equal(enc.code, 0, enc.stderr);
    assert.deepEqual(execFileSync('/usr/bin/age', ['-d', '-i', idFile], { input: enc.stdout }), text);
    assert.deepEqual(readFileSync(idFile, 'utf8').includes(me.identity), true);
  });
});
