// decodeOffThread(): the same results and errors as decode(), while the caller's thread stays free.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { AgeError } from '../../../src/core/codec/age';
import { decode, encode, generateIdentity } from '../../../src/core/codec/pipeline';
import { decodeOffThread, decodesLong } from '../../../src/core/codec/worker/decodeOffThread';
import { manyX25519Stanzas } from './hostileHeaders';

const root = resolve(__dirname, '../../..');
const worker = { workerPath: join(root, 'test/support/tsWorker.mjs'), workerData: { tsEntry: join(root, 'src/core/codec/worker/entry.ts') } };
const ids = Array.from({ length: 10 }, () => generateIdentity());
const me = ids[0] as { identity: string; recipient: string };

/** The longest the caller's event loop went without a turn while `f` ran. */
async function longestStall(f: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  try {
    await f().catch(() => undefined);
  } finally {
    clearInterval(timer);
  }
  return Math.max(worst, performance.now() - last);
}

describe('decode off the caller thread', () => {
  it('returns what decode() returns: plaintext, layers and the identity', async () => {
    const plain = Buffer.from('{"a":1}\n'.repeat(10_000));
    const sealed = await encode(plain, [{ kind: 'age' }, { kind: 'gzip' }], { recipients: [me.recipient] });
    assert.equal(decodesLong(sealed), true);
    const r = await decodeOffThread(sealed, { ...worker, identities: [me.identity] });
    assert.deepEqual(Buffer.from(r.plaintext), plain);
    assert.deepEqual(r.layers, [{ kind: 'age' }, { kind: 'gzip' }]);
    assert.equal(r.identity, me.identity);
  });

  it('asks the passphrase on the caller side; a wrong one and a cancelled prompt fail as decode() does', async () => {
    const locked = await encode(Buffer.from('locked'), [{ kind: 'age' }], { passphrase: 'right', scryptLogN: 10 });
    let asked = 0;
    const r = await decodeOffThread(locked, { ...worker, identities: [], passphrase: async () => (asked++, 'right') });
    assert.equal(Buffer.from(r.plaintext).toString(), 'locked');
    assert.equal(r.passphrase, 'right');
    assert.equal(asked, 1);
    await assert.rejects(decodeOffThread(locked, { ...worker, identities: [], passphrase: async () => 'wrong' }), (e: Error & { code?: string }) => {
      assert.ok(e instanceof AgeError);
      assert.equal(e.code, 'WrongKey');
      assert.match(e.message, /passphrase is wrong/);
      return true;
    });
    await assert.rejects(decodeOffThread(locked, { ...worker, identities: [], passphrase: async () => undefined }), { code: 'Cancelled' });
  });

  it('errors keep their code, class and message (an age v2 header)', async () => {
    const sealed = Buffer.from(await encode(Buffer.from('x'), [{ kind: 'age' }], { recipients: [me.recipient] }));
    const v2 = Buffer.from(sealed.toString('latin1').replace('/v1\n', '/v2\n'), 'latin1');
    const inline = await decode(v2, { identities: [me.identity] }).catch((e: Error) => e);
    const off = await decodeOffThread(v2, { ...worker, identities: [me.identity] }).catch((e: Error) => e);
    assert.ok(off instanceof AgeError);
    assert.equal((off as AgeError).code, 'Integrity');
    assert.equal((off as AgeError).failure, 'header');
    assert.equal(off.message, (inline as Error).message);
  });

  it('a costly header (1024 stanzas, 10 identities) keeps the caller responsive, unlike decode() inline', async () => {
    const file = manyX25519Stanzas(1024);
    const identities = ids.map((i) => i.identity);
    const inline = await longestStall(() => decode(file, { identities }));
    const off = await longestStall(() => decodeOffThread(file, { ...worker, identities }));
    console.log(`longest stall of the caller: inline ${inline.toFixed(0)} ms, off thread ${off.toFixed(0)} ms`);
    assert.ok(inline > 200, `inline decode held the thread ${inline.toFixed(0)} ms`);
    assert.ok(off < inline / 3, `off-thread stall ${off.toFixed(0)} ms against inline ${inline.toFixed(0)} ms`);
  });

  it('an abort ends the worker with Cancelled', async () => {
    const controller = new AbortController();
    const pending = decodeOffThread(manyX25519Stanzas(1024), { ...worker, identities: ids.map((i) => i.identity), signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, { code: 'Cancelled' });
  });
});
