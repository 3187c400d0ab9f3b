// --max-scrypt-log-n parses strictly, and its refusal names what to change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode } from '../../../src/core/codec/pipeline';
import { cli } from './support';

const env = { STORAGE_INSPECTOR_PASSPHRASE: 'limit-test' };

describe('decode --max-scrypt-log-n', async () => {
  const at10 = Buffer.from(await encode(Buffer.from('ten\n'), [{ kind: 'age' }], { passphrase: env.STORAGE_INSPECTOR_PASSPHRASE, scryptLogN: 10 }));

  for (const bad of ['abc', '-1', '1.5', '0', '31', '0x14', '', '20abc', ' 20']) {
    it(`refuses "${bad}" with exit 2, naming the flag`, () => {
      const r = cli(['decode', `--max-scrypt-log-n=${bad}`], { input: at10, env });
      assert.equal(r.code, 2, `exit ${r.code}: ${r.stderr}`);
      assert.match(r.stderr, /--max-scrypt-log-n takes a whole number from 1 to 30/);
      assert.equal(r.stdout.length, 0);
    });
  }

  it('a limit below the file refuses it with exit 1, naming both numbers and the flag; the file value passes', () => {
    const low = cli(['decode', '--max-scrypt-log-n', '9'], { input: at10, env });
    assert.equal(low.code, 1, low.stderr);
    assert.match(low.stderr, /work factor is 2\^10 \(log N 10\), above the limit of 2\^9.*raise the limit to 10 with --max-scrypt-log-n/);
    const ok = cli(['decode', '--max-scrypt-log-n', '10'], { input: at10, env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.toString(), 'ten\n');
  });

  it('--level takes 1 to 9 only', () => {
    assert.equal(cli(['encode', '--gzip', '--level', 'x'], { input: at10 }).code, 2);
    assert.equal(cli(['encode', '--gzip', '--level', '9'], { input: at10 }).code, 0);
  });
});
