// STREAM at the chunk boundaries, fed in several read sizes, on both backends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHUNK, decryptPayload, encryptPayload } from '../../../src/core/codec/age/stream';
import { primitives } from '../../../src/core/codec/primitives';
import { ByteReader, collect } from '../../../src/core/codec/reader';
import { BACKENDS, pieces, random } from './helpers';

const SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 500];
const READS = [1000, CHUNK - 7, CHUNK + 16, 1 << 20];

for (const backend of BACKENDS) {
  describe(`STREAM (${backend})`, () => {
    const p = primitives(backend);
    const key = random(32);
    for (const size of SIZES) {
      it(`round-trips ${size} bytes in every read size`, async () => {
        const plain = random(size);
        for (const read of READS) {
          const sealed = await collect(encryptPayload(p, key, new ByteReader(pieces(plain, read))));
          // One tag per chunk; an empty payload is one empty final chunk.
          assert.equal(sealed.length, size + 16 * Math.max(1, Math.ceil(size / CHUNK)));
          const opened = await collect(decryptPayload(p, key, new ByteReader(pieces(sealed, read))));
          assert.deepEqual(Buffer.from(opened), Buffer.from(plain));
        }
      });
    }
    it('releases exactly the chunks that verified before a damaged one', async () => {
      const plain = random(2 * CHUNK + 500);
      const sealed = await collect(encryptPayload(p, key, new ByteReader(pieces(plain, CHUNK))));
      for (const [at, verified] of [[sealed.length - 10, 2], [CHUNK + 16 + 3, 1], [5, 0]] as const) {
        const damaged = new Uint8Array(sealed);
        damaged[at] = (damaged[at] as number) ^ 0x80;
        const released: Uint8Array[] = [];
        await assert.rejects(async () => {
          for await (const c of decryptPayload(p, key, new ByteReader(pieces(damaged, 5000)))) released.push(c);
        }, new RegExp(`authentication at chunk ${verified}`));
        assert.deepEqual(Buffer.concat(released), Buffer.from(plain.subarray(0, verified * CHUNK)));
      }
    });
    it('refuses a stream cut at a chunk boundary', async () => {
      const sealed = await collect(encryptPayload(p, key, new ByteReader(pieces(random(2 * CHUNK + 500), CHUNK))));
      const cut = sealed.subarray(0, CHUNK + 16);
      await assert.rejects(collect(decryptPayload(p, key, new ByteReader(pieces(cut, 4096)))), /truncated/);
    });
  });
}
