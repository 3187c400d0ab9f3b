// Interop with Debian's reference tools: age 1.1.1 and gzip, in both directions.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Layer } from '../../../src/core/codec/api';
import { decode, encode, generateIdentity, identityToRecipient } from '../../../src/core/codec/pipeline';
import { random } from './helpers';

const AGE = '/usr/bin/age';
const AGE_KEYGEN = '/usr/bin/age-keygen';
const GZIP = '/usr/bin/gzip';
const SIZES = [0, 1, 65535, 65536, 65537, 200_000, 10 * 1024 * 1024];

const dir = mkdtempSync(join(tmpdir(), 'si-codec-interop-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (bytes: Uint8Array | string): string => {
  const f = join(dir, `f${n++}`);
  writeFileSync(f, bytes);
  return f;
};
const run = (cmd: string, args: string[], input?: Uint8Array): Buffer =>
  execFileSync(cmd, args, { input, maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
/** age reads passphrases from /dev/tty only, so it runs under a pseudo-terminal fed from stdin. */
const underTty = (command: string, typed: string): void => {
  execFileSync('/usr/bin/script', ['-qec', command, '/dev/null'], { input: typed, stdio: ['pipe', 'pipe', 'pipe'] });
};

const ours = generateIdentity();
const keygenFile = join(dir, 'keygen.txt');
run(AGE_KEYGEN, ['-o', keygenFile]);
const theirs = readFileSync(keygenFile, 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-1')) as string;
const theirRecipient = run(AGE_KEYGEN, ['-y', keygenFile]).toString().trim();
const ourIdFile = file(`# ours\n${ours.identity}\n`);

describe('interop with age 1.1.1', () => {
  it('derives the same recipient as age-keygen -y', () => {
    assert.equal(identityToRecipient(theirs), theirRecipient);
  });
  for (const size of SIZES) {
    const plain = random(size);
    for (const armor of [false, true]) {
      const layers: Layer[] = [armor ? { kind: 'age', armor } : { kind: 'age' }];
      it(`ours -> age -d -i: ${size} bytes${armor ? ', armored' : ''}`, async () => {
        const sealed = await encode(plain, layers, { recipients: [ours.recipient] });
        assert.deepEqual(run(AGE, ['-d', '-i', ourIdFile, file(sealed)]), Buffer.from(plain));
      });
      it(`age -r${armor ? ' -a' : ''} -> ours: ${size} bytes`, async () => {
        const sealed = run(AGE, [...(armor ? ['-a'] : []), '-r', ours.recipient, file(plain)]);
        const out = await decode(sealed, { identities: [ours.identity] });
        assert.deepEqual(out.layers, layers);
        assert.deepEqual(Buffer.from(out.plaintext), Buffer.from(plain));
      });
    }
  }
  it('two recipients, both ways', async () => {
    const plain = random(70_000);
    const sealed = await encode(plain, [{ kind: 'age' }], { recipients: [ours.recipient, theirRecipient] });
    assert.deepEqual(run(AGE, ['-d', '-i', ourIdFile, file(sealed)]), Buffer.from(plain));
    assert.deepEqual(run(AGE, ['-d', '-i', keygenFile, file(sealed)]), Buffer.from(plain));
    const theirSealed = run(AGE, ['-r', theirRecipient, '-r', ours.recipient, file(plain)]);
    for (const identity of [ours.identity, theirs]) {
      const out = await decode(theirSealed, { identities: [identity] });
      assert.equal(out.identity, identity);
      assert.deepEqual(Buffer.from(out.plaintext), Buffer.from(plain));
    }
  });
  it('passphrase: age -p -> ours, and ours -> age -d (logN 18, under a pty)', async () => {
    const plain = random(100_000);
    const input = file(plain);
    const sealedFile = join(dir, 'pass.age');
    underTty(`${AGE} -p -o ${sealedFile} ${input}`, 'interop-pass\ninterop-pass\n');
    const out = await decode(readFileSync(sealedFile), { identities: [], passphrase: async () => 'interop-pass' });
    assert.deepEqual(Buffer.from(out.plaintext), Buffer.from(plain));
    const ourSealed = file(await encode(plain, [{ kind: 'age', armor: true }], { passphrase: 'interop-pass' }));
    const outFile = join(dir, 'pass.out');
    underTty(`${AGE} -d -o ${outFile} ${ourSealed}`, 'interop-pass\n');
    assert.deepEqual(readFileSync(outFile), Buffer.from(plain));
  });
});

describe('interop with gzip', () => {
  const text = Buffer.from('{"ts":1,"level":"info","msg":"hello"}\n'.repeat(20_000));
  it('ours -> gzip -dc, and gzip -c -> ours', async () => {
    const gz = await encode(text, [{ kind: 'gzip' }], { gzipLevel: 9 });
    assert.deepEqual(run(GZIP, ['-dc'], gz), text);
    const theirs = run(GZIP, ['-c', '-6'], text);
    assert.deepEqual(Buffer.from((await decode(theirs, { identities: [] })).plaintext), text);
  });
  it('concatenated gzip members decode as one stream', async () => {
    const two = Buffer.concat([run(GZIP, ['-c'], text), run(GZIP, ['-c'], Buffer.from('tail\n'))]);
    assert.deepEqual(Buffer.from((await decode(two, { identities: [] })).plaintext), Buffer.concat([text, Buffer.from('tail\n')]));
  });
  it('gzip+age: ours -> age -d | gzip -dc', async () => {
    const sealed = await encode(text, [{ kind: 'age' }, { kind: 'gzip' }], { recipients: [ours.recipient] });
    assert.deepEqual(run(GZIP, ['-dc'], run(AGE, ['-d', '-i', ourIdFile, file(sealed)])), text);
  });
});
