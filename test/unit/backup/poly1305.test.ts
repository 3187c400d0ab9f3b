import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { poly1305 } from '../../../src/core/backup/poly1305';

type Poly = typeof import('@noble/ciphers/_poly1305.js', { with: { 'resolution-mode': 'import' } });
const noble = (require('@noble/ciphers/_poly1305.js') as Poly).poly1305;

describe('poly1305 (float64 limbs)', () => {
  it('RFC 8439 section 2.5.2 vector', () => {
    const key = Buffer.from('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b', 'hex');
    assert.equal(Buffer.from(poly1305(Buffer.from('Cryptographic Forum Research Group'), key)).toString('hex'), 'a8061dc1305136c6c22b8baf0c0127a9');
  });

  it('agrees with noble on every length 0..260 and on 1 MiB + 3, with random, all-ones and all-zero keys and data', () => {
    const lengths = [...Array.from({ length: 261 }, (_, i) => i), (1 << 20) + 3];
    for (const n of lengths) {
      for (const kind of ['random', 'ones', 'zeros'] as const) {
        const key = kind === 'random' ? randomBytes(32) : Buffer.alloc(32, kind === 'ones' ? 0xff : 0);
        const msg = kind === 'random' ? randomBytes(n) : Buffer.alloc(n, kind === 'ones' ? 0xff : 0);
        assert.equal(Buffer.from(poly1305(msg, key)).toString('hex'), Buffer.from(noble(msg, key)).toString('hex'), `${kind}, ${n} bytes`);
      }
    }
  });

  it('takes a view into a larger buffer at an odd offset', () => {
    const big = randomBytes(1000);
    const key = randomBytes(32);
    const view = big.subarray(3, 903);
    assert.equal(Buffer.from(poly1305(view, key)).toString('hex'), Buffer.from(noble(Buffer.from(view), key)).toString('hex'));
  });
});
