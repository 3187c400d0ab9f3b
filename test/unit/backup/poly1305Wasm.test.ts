import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadPoly1305, poly1305, poly1305Backend, poly1305Js } from '../../../src/core/backup/poly1305';

type Poly = typeof import('@noble/ciphers/_poly1305.js', { with: { 'resolution-mode': 'import' } });
const noble = (require('@noble/ciphers/_poly1305.js') as Poly).poly1305;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// RFC 8439 section 2.5.2 and appendix A.3 (#1, #2, #5, #6, #9: zero key, s only, and
// h wrapping past 2^130 - 5 and 2^128).
const VECTORS: [key: string, msg: string, tag: string][] = [
  ['85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b', Buffer.from('Cryptographic Forum Research Group').toString('hex'), 'a8061dc1305136c6c22b8baf0c0127a9'],
  ['00'.repeat(32), '00'.repeat(64), '00'.repeat(16)],
  ['00'.repeat(16) + '36e5f6b5c5e06070f0efca96227a863e', Buffer.from('Any submission to the IETF intended by the Contributor for publication as all or part of an IETF Internet-Draft or RFC and any statement made within the context of an IETF activity is considered an "IETF Contribution". Such statements include oral statements in IETF sessions, as well as written and electronic communications made at any time or place, which are addressed to').toString('hex'), '36e5f6b5c5e06070f0efca96227a863e'],
  ['02' + '00'.repeat(31), 'ff'.repeat(16), '03' + '00'.repeat(15)],
  ['02' + '00'.repeat(15) + 'ff'.repeat(16), '02' + '00'.repeat(15), '03' + '00'.repeat(15)],
  ['01' + '00'.repeat(31), 'ff'.repeat(16) + 'f0' + 'ff'.repeat(15) + '11' + '00'.repeat(15), '05' + '00'.repeat(15)],
];

describe('poly1305 wasm backend (libsodium crypto_onetimeauth)', () => {
  it('loads here, and poly1305() then uses it', async () => {
    assert.equal(await loadPoly1305(), true);
    assert.equal(poly1305Backend(), 'wasm');
  });

  it('gives the RFC 8439 tags, as the JS backend does', async () => {
    await loadPoly1305();
    for (const [k, m, t] of VECTORS) {
      const key = Buffer.from(k, 'hex');
      const msg = Buffer.from(m, 'hex');
      assert.equal(hex(poly1305(msg, key)), t, `wasm, ${m.slice(0, 16)}...`);
      assert.equal(hex(poly1305Js(msg, key)), t, `js, ${m.slice(0, 16)}...`);
    }
  });

  it('agrees with the JS backend and noble on every length 0..260 and on 4 MiB + 5, and on views at odd offsets', async () => {
    await loadPoly1305();
    for (const n of [...Array.from({ length: 261 }, (_, i) => i), (4 << 20) + 5]) {
      const key = randomBytes(32);
      const big = randomBytes(n + 7);
      const msg = big.subarray(3, 3 + n);
      const want = hex(noble(Uint8Array.from(msg), key));
      assert.equal(hex(poly1305(msg, key)), want, `wasm, ${n} bytes`);
      assert.equal(hex(poly1305Js(msg, key)), want, `js, ${n} bytes`);
    }
  });

  it('rejects a key that is not 32 bytes on both backends', async () => {
    await loadPoly1305();
    assert.throws(() => poly1305(new Uint8Array(4), new Uint8Array(31)), RangeError);
    assert.throws(() => poly1305Js(new Uint8Array(4), new Uint8Array(33)), RangeError);
  });
});
