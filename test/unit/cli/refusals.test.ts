// Input that looks like age but cannot be proven is refused with exit 1 and a message, never
// copied through as plaintext; age -d refuses each one too (checked here as the oracle).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateIdentity } from '../../../src/core/codec/pipeline';
import { recordFault } from '../../support/faultLedger';
import { cli } from './support';

const dir = mkdtempSync(join(tmpdir(), 'si-cli-refuse-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const me = generateIdentity();
const idFile = join(dir, 'id.txt');
writeFileSync(idFile, `${me.identity}\n`);
const secret = Buffer.from('the plaintext nobody may see in the clear\n');
const binary = execFileSync('/usr/bin/age', ['-r', me.recipient], { input: secret });
const armored = execFileSync('/usr/bin/age', ['-a', '-r', me.recipient], { input: secret });
const toCrlf = (b: Buffer): Buffer => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
const firstLineCrlf = Buffer.concat([Buffer.from('age-encryption.org/v1\r\n'), binary.subarray('age-encryption.org/v1\n'.length)]);

const CASES: { name: string; bytes: Buffer; message: RegExp }[] = [
  { name: 'an age-encryption.org/v2 header', bytes: Buffer.from(binary.toString('latin1').replace('org/v1\n', 'org/v2\n'), 'latin1'), message: /Unsupported age version "age-encryption.org\/v2"/ },
  { name: 'a CRLF header (every line)', bytes: toCrlf(binary), message: /CRLF/ },
  { name: 'a CRLF header (the first line only)', bytes: firstLineCrlf, message: /CRLF/ },
  { name: 'the version line without its newline', bytes: Buffer.from('age-encryption.org/v1'), message: /not a valid age|not an age file/ },
  { name: 'the version line with a trailing space', bytes: Buffer.from(binary.toString('latin1').replace('org/v1\n', 'org/v1 \n'), 'latin1'), message: /Unsupported age version/ },
  { name: 'a UTF-16 header (PowerShell redirection)', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(binary.toString('latin1'), 'utf16le')]), message: /UTF-16/ },
  { name: 'armor after 2000 bytes of leading whitespace', bytes: Buffer.concat([Buffer.alloc(2000, ' '), armored]), message: /2000 bytes of whitespace.*at most 1024/ },
  { name: 'armor after 100 KiB of leading newlines', bytes: Buffer.concat([Buffer.alloc(100 << 10, '\n'), armored]), message: /whitespace.*at most 1024/ },
  { name: 'armor after more than 1 MiB of whitespace', bytes: Buffer.concat([Buffer.alloc(1100 << 10, '\t'), armored]), message: /more than 1048576 bytes of whitespace/ },
];

describe('decode refuses what it cannot prove', () => {
  for (const c of CASES) {
    it(`${c.name}: exit 1 with a message, as age -d refuses it`, () => {
      const path = join(dir, 'case.age');
      writeFileSync(path, c.bytes);
      const age = spawnSync('/usr/bin/age', ['-d', '-i', idFile, path], { maxBuffer: 64 << 20 });
      assert.equal(age.status, 1, 'the oracle refuses it too');
      const r = cli(['decode', '-i', idFile, path]);
      const leaked = r.stdout.includes(secret) ? secret.length : 0;
      recordFault({ suite: 'cli.decode', fault: `hostile: ${c.name}`, operations: 1, bytesLost: leaked });
      assert.equal(r.code, 1, `exit ${r.code}, stdout ${r.stdout.length} bytes, stderr: ${r.stderr}`);
      assert.equal(r.stdout.length, 0, 'nothing is copied through');
      assert.match(r.stderr, c.message);
    });
  }

  it('armor after a little leading whitespace (up to 1024 bytes, as the armor reader of age allows) still decodes', () => {
    const r = cli(['decode', '-i', idFile], { input: Buffer.concat([Buffer.from(' \n\t\r\n'.repeat(200)), armored]) });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout, secret);
  });

  it('plain text that starts with whitespace is still plain text', () => {
    const text = Buffer.concat([Buffer.alloc(5000, ' '), Buffer.from('indented text\n')]);
    const r = cli(['decode'], { input: text });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout, text);
  });
});
