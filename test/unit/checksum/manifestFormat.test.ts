import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatLine, formatManifest, parseManifest } from '../../../src/core/checksum/manifestFormat';
import { isStorageError } from '../../../src/core/errors';

const HEX = 'a'.repeat(64);

describe('manifest line format', () => {
  it('writes "<hex>  <name>" for a plain name', () => {
    assert.equal(formatLine({ hex: HEX, name: 'dir/a b.txt' }, 'coreutils'), `${HEX}  dir/a b.txt\n`);
  });

  it('escapes backslash and newline behind a leading backslash, as sha256sum does', () => {
    assert.equal(formatLine({ hex: HEX, name: 'a\\b\nc' }, 'coreutils'), `\\${HEX}  a\\\\b\\nc\n`);
  });

  it('escapes carriage return for coreutils but not for b3sum', () => {
    assert.equal(formatLine({ hex: HEX, name: 'c\rr' }, 'coreutils'), `\\${HEX}  c\\rr\n`);
    assert.equal(formatLine({ hex: HEX, name: 'c\rr' }, 'b3sum'), `${HEX}  c\rr\n`);
  });

  it('reads binary-mode lines (" *name") and skips blank and comment lines', () => {
    assert.deepEqual(parseManifest(`# made by hand\n\n${HEX} *bin.dat\n`), [{ hex: HEX, name: 'bin.dat', line: 2 }]);
  });

  it('round-trips any name in both flavors', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }), { maxLength: 10 }), (names) => {
        const entries = names.map((name) => ({ hex: HEX, name }));
        for (const flavor of ['coreutils', 'b3sum'] as const) {
          assert.deepEqual(parseManifest(formatManifest(entries, flavor)), entries.map((e, line) => ({ ...e, line })), flavor);
        }
      }),
      { numRuns: process.env.SLOW === '1' ? 1000 : 100 },
    );
  });

  it('names the bad line and the fix', () => {
    assert.throws(
      () => parseManifest(`${HEX}  ok\nnot a checksum line\n`, 'SUMS'),
      (e) => isStorageError(e) && e.code === 'BadInput' && /Line 2 of SUMS/.test(e.message),
    );
    assert.throws(() => parseManifest(`\\${HEX}  bad\\qescape\n`), (e) => isStorageError(e) && /unknown escape/.test(e.message));
  });

  it('refuses a digest that is not lowercase hex', () => {
    assert.throws(() => formatLine({ hex: 'XYZ', name: 'a' }, 'coreutils'), RangeError);
  });
});
