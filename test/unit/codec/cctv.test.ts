// The community age test vectors (CCTV) against both primitive backends.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { decrypt, AgeError, type AgeFailure } from '../../../src/core/codec/age';
import { primitives, type BackendName } from '../../../src/core/codec/primitives';
import { collect, fromBytes } from '../../../src/core/codec/reader';
import { loadVectors, type Expect } from './vectors';

const CLASS: Record<Exclude<Expect, 'success'>, AgeFailure> = {
  'header failure': 'header',
  'payload failure': 'payload',
  'armor failure': 'armor',
  'no match': 'nomatch',
  'HMAC failure': 'hmac',
};

describe('cctv-age vectors', async () => {
  const { applicable, skipped } = await loadVectors();
  const backends: BackendName[] = ['node', 'portable'];
  it(`cctv-age: ${applicable.length} vectors x ${backends.length} backends (${skipped.length} post-quantum vectors skipped)`, () => {
    console.log(`cctv-age: ${applicable.length} vectors x ${backends.length} backends`);
    assert.equal(applicable.length, 124);
  });
  for (const backend of backends) {
    describe(`${backend} backend`, () => {
      for (const v of applicable) {
        it(`${v.name}: ${v.expect}`, async () => {
          const run = async (): Promise<Uint8Array> => {
            const opened = await decrypt(fromBytes(v.file), {
              identities: v.identities,
              passphrase: v.passphrases[0] === undefined ? undefined : async () => v.passphrases[0],
              armor: v.armored,
              backend: primitives(backend),
            });
            return collect(opened.payload);
          };
          if (v.expect === 'success') {
            const plain = await run();
            assert.equal(createHash('sha256').update(plain).digest('hex'), v.payload);
          } else {
            const expected = CLASS[v.expect];
            await assert.rejects(run, (e: unknown) => {
              assert.ok(e instanceof AgeError, `expected an AgeError, got ${String(e)}`);
              assert.equal(e.failure, expected);
              return true;
            });
          }
        });
      }
    });
  }
});
