// Damaged, hostile and mismatched input: a typed error with a clear message, no unverified plaintext.
// (The pipeline joins verified chunks into larger blocks, so it may release less than was verified;
// stream.test.ts checks chunk by chunk that exactly the verified chunks come out.)
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { decrypt } from '../../../src/core/codec/age';
import { CHUNK } from '../../../src/core/codec/age/stream';
import { decode, decodeStream, encode, generateIdentity } from '../../../src/core/codec/pipeline';
import { primitives } from '../../../src/core/codec/primitives';
import { fromBytes } from '../../../src/core/codec/reader';
import { isStorageError, type ErrorCode } from '../../../src/core/errors';
import { BACKENDS, drain, pieces, random } from './helpers';

const { identity, recipient } = generateIdentity();
const stranger = generateIdentity();

function expectError(error: unknown, codes: ErrorCode[], message?: RegExp): void {
  assert.ok(isStorageError(error), `expected a StorageError, got ${String(error)}`);
  assert.ok(codes.includes(error.code), `code ${error.code} not in ${codes.join(',')}: ${error.message}`);
  if (message) assert.match(error.message, message);
  assert.ok(!error.message.includes(identity), 'the message must not contain the identity');
}

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
}

const headerEnd = (sealed: Uint8Array): number => Buffer.from(sealed).indexOf('\n---') + 1 + 48 + 16;

for (const backend of BACKENDS) {
  describe(`bad input (${backend})`, () => {
    const opts = { identities: [identity], backend: primitives(backend) };
    const plain = random(2 * CHUNK + 500);
    let sealed: Uint8Array;

    const stream = async (bytes: Uint8Array) => drain(decodeStream(pieces(bytes, 4096), opts));

    it('prepares a three-chunk file', async () => {
      sealed = await encode(plain, [{ kind: 'age' }], { recipients: [recipient], backend: primitives(backend) });
      assert.equal(sealed.length, headerEnd(sealed) + plain.length + 3 * 16);
    });
    it('truncated in the header', async () => {
      const r = await stream(sealed.subarray(0, 60));
      expectError(r.error, ['Integrity'], /header/);
      assert.equal(r.released, 0);
    });
    it('truncated in the payload: only verified chunks are released', async () => {
      const r = await stream(sealed.subarray(0, sealed.length - 100));
      expectError(r.error, ['Integrity'], /truncated|authentication/);
      assert.ok(r.released <= 2 * CHUNK);
      await assert.rejects(decode(sealed.subarray(0, sealed.length - 100), opts), /truncated|authentication/);
    });
    it('flipped byte in the header MAC', async () => {
      const at = Buffer.from(sealed).indexOf('\n---') + 10;
      const r = await stream(flip(sealed, at));
      expectError(r.error, ['Integrity'], /MAC/);
      assert.equal(r.released, 0);
    });
    it('flipped byte in the recipient stanza', async () => {
      const r = await stream(flip(sealed, 40));
      expectError(r.error, ['Integrity', 'WrongKey']);
      assert.equal(r.released, 0);
    });
    it('flipped byte in the first chunk', async () => {
      const r = await stream(flip(sealed, headerEnd(sealed) + 5));
      expectError(r.error, ['Integrity'], /authentication/);
      assert.equal(r.released, 0);
    });
    it('flipped byte in the last chunk', async () => {
      const r = await stream(flip(sealed, sealed.length - 20));
      expectError(r.error, ['Integrity'], /chunk 2/);
      assert.ok(r.released <= 2 * CHUNK);
    });
    it('data after the final chunk', async () => {
      // After a short final chunk the extra byte just makes that chunk fail to verify.
      const r = await stream(Buffer.concat([sealed, Buffer.from('x')]));
      expectError(r.error, ['Integrity'], /authentication at chunk 2/);
      assert.ok(r.released <= 2 * CHUNK);
      const full = await encode(random(2 * CHUNK), [{ kind: 'age' }], { recipients: [recipient], backend: primitives(backend) });
      const r2 = await stream(Buffer.concat([full, random(100)]));
      expectError(r2.error, ['Integrity'], /data after its final chunk/);
      assert.ok(r2.released <= CHUNK);
    });
    it('wrong identity, after trying every one', async () => {
      const r = await drain(decodeStream(fromBytes(sealed), { ...opts, identities: [stranger.identity, stranger.identity] }));
      expectError(r.error, ['WrongKey'], /None of the 2 identities/);
      assert.equal(r.released, 0);
    });
    it('no identity at all', async () => {
      await assert.rejects(decode(sealed, { ...opts, identities: [] }), (e) => (expectError(e, ['WrongKey'], /no identity is configured/), true));
    });
    it('an invalid identity string is named without echoing it', async () => {
      await assert.rejects(decode(sealed, { ...opts, identities: ['AGE-SECRET-KEY-1NOTAKEY'] }), (e) => (expectError(e, ['BadInput'], /not a valid age identity/), true));
    });
    it('wrong passphrase, and a cancelled prompt', async () => {
      const locked = await encode(random(100), [{ kind: 'age' }], { passphrase: 'right', scryptLogN: 4, backend: primitives(backend) });
      await assert.rejects(decode(locked, { ...opts, passphrase: async () => 'wrong' }), (e) => (expectError(e, ['WrongKey'], /passphrase is wrong/), true));
      await assert.rejects(decode(locked, { ...opts, passphrase: async () => undefined }), (e) => (expectError(e, ['Cancelled']), true));
    });
    it('an scrypt work factor above the limit is refused before any work, naming the limit', async () => {
      const locked = Buffer.from(await encode(random(10), [{ kind: 'age' }], { passphrase: 'p', scryptLogN: 4, backend: primitives(backend) }));
      const at = locked.indexOf(' 4\n');
      const hostile = Buffer.concat([locked.subarray(0, at), Buffer.from(' 23\n'), locked.subarray(at + 3)]);
      let asked = false;
      const ask = async () => ((asked = true), 'p');
      await assert.rejects(decode(hostile, { ...opts, passphrase: ask }), (e) => (expectError(e, ['TooLarge'], /above the limit of 2\^22/), true));
      await assert.rejects(decode(hostile, { ...opts, passphrase: ask, maxScryptLogN: 16 }), /limit of 2\^16/);
      assert.equal(asked, false);
    });
    it('garbage is not age', async () => {
      await assert.rejects(async () => drain((await decrypt(fromBytes(random(500)), opts)).payload).then((r) => { throw r.error; }), (e) => (expectError(e, ['BadInput'], /not an age file/), true));
    });
    it('empty input decodes to nothing, and is not an age file', async () => {
      const out = await decode(new Uint8Array(0), opts);
      assert.deepEqual(out.layers, []);
      assert.equal(out.plaintext.length, 0);
      await assert.rejects(decrypt(fromBytes(new Uint8Array(0)), opts), (e) => (expectError(e, ['BadInput'], /empty or is not an age file/), true));
    });
    it('damaged and truncated gzip', async () => {
      const gz = gzipSync(random(10000));
      await assert.rejects(decode(gz.subarray(0, gz.length - 4), opts), (e) => (expectError(e, ['Integrity'], /gzip/), true));
      await assert.rejects(decode(flip(gz, 500), opts), (e) => (expectError(e, ['Integrity'], /gzip/), true));
    });
    it('the output limit holds without gzip too', async () => {
      const r = await drain(decodeStream(fromBytes(sealed), { ...opts, maxOutputBytes: CHUNK }));
      expectError(r.error, ['TooLarge'], /limit of 65536 bytes/);
      assert.ok(r.released <= CHUNK);
      await assert.rejects(decode(sealed, { ...opts, maxOutputBytes: CHUNK }), (e) => (expectError(e, ['TooLarge']), true));
    });
    it('a gzip bomb stops at the output limit', async () => {
      // 40 members of 16 MiB of zeros: 640 MiB out of about 640 KB in.
      const member = gzipSync(new Uint8Array(16 << 20), { level: 9 });
      const bomb = Buffer.concat(Array.from({ length: 40 }, () => member));
      // Fed in 16 KiB pieces, so how far the decoder read shows where the guard stopped it
      // (a count, not a time: the machine's load must not decide the result).
      let consumed = 0;
      async function* pieces(): AsyncIterable<Uint8Array> {
        for (let at = 0; at < bomb.length; at += 16 << 10) {
          const piece = bomb.subarray(at, at + (16 << 10));
          consumed += piece.length;
          yield piece;
        }
      }
      const r = await drain(decodeStream(pieces(), { ...opts, maxOutputBytes: 1 << 20 }));
      expectError(r.error, ['TooLarge'], /gzip bomb/);
      assert.ok(r.released <= 1 << 20);
      assert.ok(consumed <= 4 * member.length + (16 << 10), `the guard must stop early, but ${consumed} of ${bomb.length} input bytes were read`);
      await assert.rejects(decode(bomb, { ...opts, maxOutputBytes: 32 << 20 }), (e) => (expectError(e, ['TooLarge']), true));
    });
  });
}
