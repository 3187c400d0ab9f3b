import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ALGORITHMS, checkAlgorithm, createHasher } from '../../../src/core/checksum/algorithms';
import { hashBytes, hashStream } from '../../../src/core/checksum/hashFile';
import { isStorageError } from '../../../src/core/errors';

const RUNS = process.env.SLOW === '1' ? 500 : 40;
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

// Published check values: "123456789" for the CRCs (the Rocksoft catalogue), "abc" and "" elsewhere.
const VECTORS: Array<[string, string, string]> = [
  ['sha256', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['sha1', 'abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
  ['md5', 'abc', '900150983cd24fb0d6963f7d28e17f72'],
  ['crc32', '123456789', 'cbf43926'],
  ['crc32c', '123456789', 'e3069283'],
  ['blake3', '', 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262'],
  ['xxh3', '', '2d06800538d394c2'],
];

describe('checksum algorithms', () => {
  for (const [alg, input, hex] of VECTORS) {
    it(`${alg} of ${JSON.stringify(input)} matches the published value`, async () => {
      assert.equal(await hashBytes(text(input), checkAlgorithm(alg)), hex);
    });
  }

  it('crc32 of a 0-length input is 00000000 (padded)', async () => {
    assert.equal(await hashBytes(new Uint8Array(0), 'crc32'), '00000000');
  });

  it('streaming in any chunking gives the one-shot digest, for every algorithm', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }), async (data, cuts) => {
        for (const alg of ALGORITHMS) {
          const whole = await hashBytes(data, alg);
          async function* chunks(): AsyncIterable<Uint8Array> {
            let at = 0;
            let k = 0;
            while (at < data.length) {
              const n = cuts[k++ % cuts.length] ?? 1;
              yield data.subarray(at, at + n);
              at += n;
            }
          }
          assert.equal(await hashStream(chunks(), alg), whole, alg);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('each hasher is independent (fresh state per file)', async () => {
    for (const alg of ALGORITHMS) {
      const a = await createHasher(alg);
      const b = await createHasher(alg);
      a.update(text('one'));
      b.update(text('two'));
      assert.notEqual(a.digest(), b.digest(), alg);
    }
  });

  it('an unknown algorithm is a BadInput naming the parameter and the choices', () => {
    assert.throws(() => checkAlgorithm('sha3'), (e) => isStorageError(e) && e.code === 'BadInput' && /algorithm/.test(e.message) && /sha256/.test(e.message));
  });
});
