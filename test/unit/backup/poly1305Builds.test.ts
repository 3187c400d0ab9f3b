import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { loadPoly1305, loadPoly1305Wasm, poly1305, poly1305Backend, poly1305Js, poly1305Native, poly1305Wasm } from '../../../src/core/backup/poly1305';

const exec = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
const PREBUILD = join(ROOT, `node_modules/sodium-native/prebuilds/${process.platform}-${process.arch}/sodium-native.node`);
// In CI (linux-x64, where sodium-native ships a build) the native backend must serve: a build
// that stopped loading would otherwise pass as "the wasm serves".
const NATIVE_SKIP = process.env.CI === 'true' || existsSync(PREBUILD) ? false : `sodium-native has no build for ${process.platform}-${process.arch}: the wasm serves`;

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

describe('poly1305 backends: native (sodium-native), wasm (libsodium-wrappers-sumo) and JS, giving the same tags', () => {
  it('the native build loads here, and poly1305() uses it without waiting for anything', { skip: NATIVE_SKIP }, async () => {
    assert.ok(poly1305Native(new Uint8Array(1), new Uint8Array(32)), `sodium-native's binding did not load (${PREBUILD})`);
    assert.equal(poly1305Backend(), 'native');
    assert.equal(await loadPoly1305(), true);
    assert.equal(poly1305Backend(), 'native');
  });

  it('the wasm build loads here too (the fallback where there is no native one)', async () => {
    assert.equal(await loadPoly1305Wasm(), true);
  });

  it('each gives the RFC 8439 tags', { skip: NATIVE_SKIP }, async () => {
    await loadPoly1305Wasm();
    for (const [k, m, t] of VECTORS) {
      const key = Buffer.from(k, 'hex');
      const msg = Buffer.from(m, 'hex');
      assert.equal(hex(poly1305Native(msg, key)!), t, `native, ${m.slice(0, 16)}...`);
      assert.equal(hex(poly1305Wasm(msg, key)), t, `wasm, ${m.slice(0, 16)}...`);
      assert.equal(hex(poly1305Js(msg, key)), t, `js, ${m.slice(0, 16)}...`);
      assert.equal(hex(poly1305(msg, key)), t, `poly1305(), ${m.slice(0, 16)}...`);
    }
  });

  it('all agree with noble on every length 0..260 and on 4 MiB + 5, and on views at odd offsets', { skip: NATIVE_SKIP }, async () => {
    await loadPoly1305Wasm();
    for (const n of [...Array.from({ length: 261 }, (_, i) => i), (4 << 20) + 5]) {
      const key = randomBytes(32);
      const big = randomBytes(n + 7);
      const msg = big.subarray(3, 3 + n);
      const want = hex(noble(Uint8Array.from(msg), key));
      assert.equal(hex(poly1305Native(msg, key)!), want, `native, ${n} bytes`);
      assert.equal(hex(poly1305Wasm(msg, key)), want, `wasm, ${n} bytes`);
      assert.equal(hex(poly1305Js(msg, key)), want, `js, ${n} bytes`);
    }
  });

  it('rejects a key that is not 32 bytes on every backend', async () => {
    await loadPoly1305Wasm();
    assert.throws(() => poly1305(new Uint8Array(4), new Uint8Array(31)), RangeError);
    assert.throws(() => poly1305Native(new Uint8Array(4), new Uint8Array(33)), RangeError);
    assert.throws(() => poly1305Wasm(new Uint8Array(4), new Uint8Array(0)), RangeError);
    assert.throws(() => poly1305Js(new Uint8Array(4), new Uint8Array(33)), RangeError);
  });

  it('the native build loads in a worker thread too (restore, check and backup MAC there)', { skip: NATIVE_SKIP }, async () => {
    const w = new Worker(`const b = require(${JSON.stringify(PREBUILD)}); const o = new Uint8Array(16); const k = new Uint8Array(32); k[0] = 2; const r = b.crypto_onetimeauth(o, new Uint8Array(16).fill(255), k); require('node:worker_threads').parentPort.postMessage(r + ':' + Buffer.from(o).toString('hex'));`, { eval: true });
    const got = await new Promise<string>((res, rej) => w.once('message', res).once('error', rej));
    await w.terminate();
    assert.equal(got, `0:03${'00'.repeat(15)}`);
  });

  it('the build copies the binding beside the bundle, and it loads there in a fresh process', { skip: NATIVE_SKIP }, async () => {
    const copy = join(ROOT, 'dist/sodium-native.node');
    assert.ok(existsSync(copy), 'dist/sodium-native.node is missing: run node scripts/build.mjs');
    const script = `const b = require(${JSON.stringify(copy)}); const o = new Uint8Array(16); b.crypto_onetimeauth(o, Buffer.from('Cryptographic Forum Research Group'), Buffer.from('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b', 'hex')); process.stdout.write(Buffer.from(o).toString('hex'));`;
    const r = await exec(process.execPath, ['-e', script], { env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(r.stdout, 'a8061dc1305136c6c22b8baf0c0127a9');
  });
});
