// gzip on both backends: members, read sizes, trailers, and the node backend's parallel members.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { primitives } from '../../../src/core/codec/primitives';
import { collect, fromBytes } from '../../../src/core/codec/reader';
import { BACKENDS, pieces } from './helpers';

const parts = [randomBytes(100_000), Buffer.from('{"k":"v"}\n'.repeat(30_000)), Buffer.alloc(0), randomBytes(5)];
const members = parts.map((p) => gzipSync(p));
const joined = Buffer.concat(members);
const plain = Buffer.concat(parts);

for (const backend of BACKENDS) {
  describe(`gzip (${backend})`, () => {
    const p = primitives(backend);
    it('reads concatenated members in any read size', async () => {
      for (const size of [1, 7, 1000, 65536, 1 << 20]) {
        assert.deepEqual(Buffer.from(await collect(p.gunzip(pieces(joined, size)))), plain, `read size ${size}`);
      }
    });
    it('refuses a damaged trailer in any member, and truncation', async () => {
      const first = Buffer.from(joined);
      const at = (members[0] as Buffer).length - 6;
      first[at] = (first[at] as number) ^ 1;
      await assert.rejects(collect(p.gunzip(pieces(first, 4096))));
      await assert.rejects(collect(p.gunzip(pieces(joined.subarray(0, joined.length - 3), 4096))));
    });
    it('writes gzip that zlib reads, also for empty input', async () => {
      for (const data of [Buffer.alloc(0), plain]) {
        assert.deepEqual(gunzipSync(await collect(p.gzip(fromBytes(data), 6))), data);
      }
    });
  });
}

describe('gzip members on the node backend', () => {
  it('splits large input into members compressed side by side, in order', async () => {
    const big = Buffer.from(Array.from({ length: 300_000 }, (_, i) => `{"n":${i}}\n`).join(''));
    const gz = Buffer.from(await collect(primitives('node').gzip(pieces(big, 100_000), 6)));
    let count = 0;
    const magic = Buffer.from([0x1f, 0x8b, 0x08]);
    for (let i = gz.indexOf(magic); i >= 0; i = gz.indexOf(magic, i + 1)) count++;
    assert.ok(big.length > 3 << 20);
    assert.ok(count >= 3, `expected a member per MiB, saw ${count}`);
    assert.deepEqual(gunzipSync(gz), big);
  });
});
