// The pipeline the extension uses refuses what looks like age but cannot be read, with a reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, detectLayers, encode, generateIdentity } from '../../../src/core/codec/pipeline';

const me = generateIdentity();
const opts = { identities: [me.identity] };

describe('pipeline refusals', async () => {
  const sealed = Buffer.from(await encode(Buffer.from('secret'), [{ kind: 'age' }], { recipients: [me.recipient] }));
  const armored = Buffer.from(await encode(Buffer.from('secret'), [{ kind: 'age', armor: true }], { recipients: [me.recipient] }));
  const cases: [string, Buffer, RegExp][] = [
    ['v2', Buffer.from(sealed.toString('latin1').replace('/v1\n', '/v2\n'), 'latin1'), /Unsupported age version/],
    ['CRLF', Buffer.from(sealed.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'), /CRLF/],
    ['long whitespace before armor', Buffer.concat([Buffer.alloc(3000, ' '), armored]), /3000 bytes of whitespace/],
  ];
  for (const [name, bytes, message] of cases) {
    it(`${name}: detected as age and refused`, async () => {
      assert.equal(detectLayers(bytes)[0]?.kind, 'age');
      await assert.rejects(decode(bytes, opts), (e: Error & { code?: string }) => {
        assert.match(e.message, message);
        assert.equal(e.code, 'Integrity');
        return true;
      });
    });
  }
});
