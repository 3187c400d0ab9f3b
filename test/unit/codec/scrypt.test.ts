// scrypt above 2^20: decrypts when the limit allows it, with memory only as the work factor needs;
// above the limit, one consistent refusal that names the file's work factor, the limit and the way to raise it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decode, encode } from '../../../src/core/codec/pipeline';
import { primitives } from '../../../src/core/codec/primitives';
import { recordFault } from '../../support/faultLedger';

const LOGN21 = readFileSync(join(__dirname, 'data/scrypt-logn21.age'));
const GiB = 2 ** 30;

/** An scrypt file whose header claims work factor 2^logN (the body is then wrong, but never reached). */
async function claiming(logN: number): Promise<Buffer> {
  const locked = Buffer.from(await encode(Buffer.from('x'), [{ kind: 'age' }], { passphrase: 'p', scryptLogN: 4 }));
  const at = locked.indexOf(' 4\n');
  return Buffer.concat([locked.subarray(0, at), Buffer.from(` ${logN}\n`), locked.subarray(at + 3)]);
}

describe('scrypt work factors', () => {
  it('a 2^21 file (checked with age -d) decrypts under the default limit, with about 2 GiB at the peak and freed after', async () => {
    const r = await decode(LOGN21, { identities: [], passphrase: async () => 'logn-21' });
    assert.equal(Buffer.from(r.plaintext).toString(), 'sealed at scrypt work factor 2^21\n');
    const peak = process.resourceUsage().maxRSS * 1024;
    assert.ok(peak < 2 * GiB + 512 * 2 ** 20, `peak RSS ${(peak / GiB).toFixed(2)} GiB for a 2 GiB work factor`);
    assert.ok(process.memoryUsage().rss < 512 * 2 ** 20, `RSS after: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  });

  // 2^22 (age's own limit) takes 4 GiB and two runs of about 20 s each here, so only with SLOW=1.
  it('a 2^22 file round-trips at the default limit (SLOW=1)', { skip: process.env.SLOW !== '1' }, async () => {
    const sealed = await encode(Buffer.from('at 2^22'), [{ kind: 'age' }], { passphrase: 'p22', scryptLogN: 22 });
    const r = await decode(sealed, { identities: [], passphrase: async () => 'p22' });
    assert.equal(Buffer.from(r.plaintext).toString(), 'at 2^22');
  });

  it('above the limit: TooLarge before any work or prompt, naming the work factor, the limit, the flag and the setting', async () => {
    let asked = false;
    const ask = async (): Promise<string> => ((asked = true), 'p');
    const checks: [number, number | undefined][] = [
      [23, undefined],
      [21, 20],
    ];
    for (const [logN, limit] of checks) {
      await assert.rejects(decode(await claiming(logN), { identities: [], passphrase: ask, maxScryptLogN: limit }), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'TooLarge');
        assert.match(e.message, new RegExp(`work factor is 2\\^${logN} \\(log N ${logN}\\), above the limit of 2\\^${limit ?? 22}`));
        assert.match(e.message, new RegExp(`raise the limit to ${logN} with --max-scrypt-log-n .* storageInspector.encryption.maxScryptWorkFactor`));
        assert.doesNotMatch(e.message, /damaged|restore/);
        return true;
      });
    }
    recordFault({ suite: 'codec.age', fault: 'scrypt-work-factor-above-limit', operations: checks.length, bytesLost: 0 });
    assert.equal(asked, false);
  });

  it('the portable backend says plainly that it stops at 2^20, instead of a typed-array error', async () => {
    await assert.rejects(decode(LOGN21, { identities: [], passphrase: async () => 'logn-21', backend: primitives('portable') }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'TooLarge');
      assert.match(e.message, /up to 2\^20/);
      return true;
    });
  });
});
