// Property tests: random sizes and read sizes through every layer combination, on both backends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Layer } from '../../../src/core/codec/api';
import { CHUNK } from '../../../src/core/codec/age/stream';
import { decode, decodeStream, detectLayers, encode, encodeStream, generateIdentity, identityToRecipient, innerName } from '../../../src/core/codec/pipeline';
import { primitives } from '../../../src/core/codec/primitives';
import { collect } from '../../../src/core/codec/reader';
import { BACKENDS, pieces, random } from './helpers';

const RUNS = process.env.SLOW === '1' ? 300 : 15;
const COMBINATIONS: Layer[][] = [
  [{ kind: 'gzip' }],
  [{ kind: 'age' }],
  [{ kind: 'age', armor: true }],
  [{ kind: 'age' }, { kind: 'gzip' }],
  [{ kind: 'age', armor: true }, { kind: 'gzip' }],
];
const near = (n: number): fc.Arbitrary<number> => fc.integer({ min: Math.max(0, n - 20), max: n + 20 });
const sizes = fc.oneof(fc.integer({ min: 0, max: 3 * CHUNK + 100 }), near(CHUNK), near(2 * CHUNK), fc.constant(0));
const readSizes = fc.oneof(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 4096, max: 3 * CHUNK }));

describe('pipeline round trips', () => {
  const { identity, recipient } = generateIdentity();
  for (const backend of BACKENDS) {
    for (const layers of COMBINATIONS) {
      it(`${backend}: ${JSON.stringify(layers)} (${RUNS} runs)`, async () => {
        const opts = { recipients: [recipient], identities: [identity], backend: primitives(backend) };
        await fc.assert(
          fc.asyncProperty(sizes, readSizes, async (size, read) => {
            // Compressible text for some runs, random bytes for others.
            const plain = size % 2 === 0 ? random(size) : Buffer.from('{"level":"info","n":1}\n'.repeat(size).slice(0, size));
            const sealed = await collect(encodeStream(pieces(plain, read), layers, opts));
            assert.deepEqual(detectLayers(sealed)[0], layers[0]);
            const out = await collect(decodeStream(pieces(sealed, read), opts));
            assert.deepEqual(Buffer.from(out), Buffer.from(plain));
          }),
          { numRuns: RUNS },
        );
      });
    }
  }
  it('reports the layers, the identity and the passphrase that decoded', async () => {
    const plain = random(1000);
    const other = generateIdentity();
    const byKey = await decode(await encode(plain, COMBINATIONS[3] as Layer[], { recipients: [other.recipient, recipient] }), { identities: [other.identity, identity] });
    assert.deepEqual(byKey.layers, COMBINATIONS[3]);
    assert.equal(byKey.identity, other.identity);
    const byPass = await decode(await encode(plain, [{ kind: 'age' }], { passphrase: 'correct horse', scryptLogN: 4 }), { identities: [], passphrase: async () => 'correct horse' });
    assert.equal(byPass.passphrase, 'correct horse');
    assert.deepEqual(Buffer.from(byPass.plaintext), Buffer.from(plain));
  });
  it('leaves plain data alone', async () => {
    const plain = Buffer.from('just text');
    assert.deepEqual(detectLayers(plain), []);
    const out = await decode(plain, { identities: [] });
    assert.deepEqual(out.layers, []);
    assert.deepEqual(Buffer.from(out.plaintext), plain);
  });
  it('sees gzip around age', async () => {
    const sealed = await encode(random(10), [{ kind: 'gzip' }, { kind: 'age' }], { recipients: [recipient] });
    assert.deepEqual(detectLayers(sealed), [{ kind: 'gzip' }, { kind: 'age' }]);
  });
  it('derives recipients from identities', () => {
    assert.equal(identityToRecipient(identity), recipient);
    assert.match(recipient, /^age1[02-9ac-hj-np-z]{58}$/);
    assert.match(identity, /^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/);
  });
  it('names the inner file', () => {
    assert.equal(innerName('config.json.gz.age'), 'config.json');
    assert.equal(innerName('logs/app.log.GZ'), 'logs/app.log');
    assert.equal(innerName('notes.txt'), 'notes.txt');
    assert.equal(innerName('.age'), '.age');
  });
});
