import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import { authentic, open, seal, sealParts, OVERHEAD } from '../../../src/core/backup/crypto';
import { newMasterKey } from '../../../src/core/backup/keys';
import { quoteName, unquoteName } from '../../../src/core/backup/nameQuote';
import { goModeString, goModeFromPosix, posixPermissions } from '../../../src/core/backup/fileMode';
import { buildHeader, parseHeader, type PackedBlob } from '../../../src/core/backup/pack';
import { parseUnpacked, unzstd, zstdContentSize } from '../../../src/core/backup/encoding';
import { goJson } from '../../../src/core/backup/goJson';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalBackend, writeAll } from '../../../src/core/backup/localBackend';
import { tempDir } from './helpers';

describe('restic format pieces', () => {
  const key = newMasterKey();

  it('seal/open round-trips 0, 1 and 1 MiB + 1 bytes, adding 32 bytes', () => {
    for (const n of [0, 1, 1024 * 1024 + 1]) {
      const plain = new Uint8Array(n).map((_, i) => i % 251);
      const sealed = seal(key, plain);
      assert.equal(sealed.length, n + OVERHEAD);
      assert.deepEqual(open(key, sealed, 'x'), plain);
    }
  });

  it('AES-CTR in 64 KiB pieces gives the one-shot cipher\'s bytes, and a plaintext opened into a reused buffer is right each time', () => {
    const scratch = Buffer.alloc(300_000, 0xee);
    for (const n of [65535, 65536, 65537, 131072, 200_001, 1, 0]) {
      const plain = new Uint8Array(n).map((_, i) => (i * 7) % 253);
      const [iv, body] = sealParts(key, plain);
      assert.equal(body.length, n);
      // decrypted in one update() by Node itself: the pieces must join up to the same keystream
      assert.ok(createDecipheriv('aes-256-ctr', key.encrypt, iv).update(body).equals(plain), `seal ${n}`);
      const sealed = seal(key, plain);
      assert.deepEqual(open(key, sealed, 'x'), plain, `open ${n}`);
      const into = open(key, sealed, 'x', scratch);
      assert.equal(into.buffer, scratch.buffer, `open ${n} into the scratch buffer`);
      assert.deepEqual(into, plain, `open ${n} into scratch`);
    }
  });

  it('any flipped bit (IV, body or MAC) fails the MAC: Integrity, never wrong plaintext', () => {
    const sealed = seal(key, new TextEncoder().encode('some plaintext'));
    for (const at of [0, 15, 16, sealed.length - 17, sealed.length - 1]) {
      const bad = sealed.slice();
      bad[at]! ^= 1;
      assert.equal(authentic(key, bad), false, `byte ${at}`);
      assert.throws(() => open(key, bad, 'blob'), { code: 'Integrity' });
    }
    assert.throws(() => open(newMasterKey(), sealed, 'blob'), { code: 'Integrity' });
  });

  it('names are quoted as Go strconv.Quote does (inside the quotes) and back', () => {
    assert.equal(quoteName('"q" \\b'), '\\"q\\" \\\\b');
    assert.equal(quoteName('new\nline\x01'), 'new\\nline\\x01');
    assert.equal(quoteName('ünï ✓ 日本'), 'ünï ✓ 日本');
    for (const n of ['plain', '"q" \\b', 'tab\there', 'ünï ✓', 'a\u200bb', '😀', '\x7f']) assert.equal(unquoteName(quoteName(n)), n);
  });

  it('modes print as Go prints fs.FileMode', () => {
    assert.equal(goModeString(2147484141), 'drwxr-xr-x');
    assert.equal(goModeString(134218239), 'Lrwxrwxrwx');
    assert.equal(goModeString(8389101), 'urwxr-xr-x');
    assert.equal(goModeString(420), '-rw-r--r--');
    assert.equal(goModeFromPosix(0o104755), 8389101);
    assert.equal(posixPermissions(8389101), 0o4755);
  });

  it('pack headers round-trip plain and compressed entries with offsets', () => {
    const blobs: PackedBlob[] = [
      { id: 'aa'.repeat(32), type: 'data', offset: 0, length: 100 },
      { id: 'bb'.repeat(32), type: 'tree', offset: 100, length: 50, uncompressedLength: 400 },
    ];
    const h = buildHeader(key, blobs);
    const len = new DataView(h.buffer).getUint32(h.length - 4, true);
    assert.equal(len, h.length - 4);
    assert.deepEqual(parseHeader(key, h.subarray(0, len), 'pack'), blobs);
  });

  it('unpacked files: JSON as is, version byte 2 as zstd, anything else refused', () => {
    assert.deepEqual(parseUnpacked(new TextEncoder().encode('{"a":1}'), 'x'), { a: 1 });
    assert.throws(() => parseUnpacked(new Uint8Array([3, 1, 2]), 'x'), { code: 'Integrity' });
    assert.throws(() => parseUnpacked(new Uint8Array([2, 1, 2]), 'x'), { code: 'Integrity' });
  });

  it("goJson escapes as Go's encoding/json does", () => {
    assert.equal(goJson({ n: '<a>&\u2028' }), '{"n":"\\u003ca\\u003e\\u0026\\u2028"}');
  });
});

describe('a file written from parts', () => {
  const parts = Array.from({ length: 1300 }, (_, i) => new Uint8Array(i % 17).map((_, j) => (i * 31 + j) % 256));
  const whole = Buffer.concat(parts);

  it('gets every byte in order when each write takes only some of them, across more parts than one write may gather', async () => {
    const out: Buffer[] = [];
    let calls = 0;
    let most = 0;
    const fh = {
      writev: async (bufs: Uint8Array[]) => {
        calls++;
        most = Math.max(most, bufs.length);
        // a short write: at most 23 bytes, the first buffers' bytes in order
        let room = 23;
        let n = 0;
        for (const b of bufs) {
          const take = Math.min(room, b.length);
          out.push(Buffer.from(b.subarray(0, take)));
          n += take;
          room -= take;
          if (room === 0) break;
        }
        return { bytesWritten: n };
      },
    };
    await writeAll(fh, parts);
    assert.ok(Buffer.concat(out).equals(whole), 'the bytes written are the parts joined');
    assert.ok(calls > whole.length / 23, `short writes went on (${calls} calls)`);
    assert.ok(most <= 1024, `at most 1024 buffers a call (${most})`);
  });

  it('a local backend stores the parts joined', async () => {
    const dir = tempDir('parts');
    const b = new LocalBackend(dir);
    await b.create();
    const name = 'ab'.repeat(32);
    await b.write('data', name, parts);
    assert.ok(readFileSync(join(dir, 'data', 'ab', name)).equals(whole));
  });

  it('of two writers of one name at once, exactly one succeeds and the file holds its bytes, whole', async () => {
    const dir = tempDir('race');
    const b = new LocalBackend(dir);
    await b.create();
    for (let round = 0; round < 20; round++) {
      const name = round.toString(16).padStart(2, '0').repeat(32);
      const mine = Buffer.alloc(300_000, 1);
      const theirs = Buffer.alloc(200_000, 2);
      const r = await Promise.allSettled([b.write('data', name, mine), b.write('data', name, theirs)]);
      const won = r.filter((x) => x.status === 'fulfilled');
      assert.equal(won.length, 1, `round ${round}: one writer wins, not ${won.length}`);
      const lost = r.find((x): x is PromiseRejectedResult => x.status === 'rejected')!;
      assert.equal((lost.reason as { code?: string }).code, 'Exists');
      const onDisk = readFileSync(join(dir, 'data', name.slice(0, 2), name));
      assert.ok(onDisk.equals(r[0]!.status === 'fulfilled' ? mine : theirs), `round ${round}: the winner's bytes`);
      assert.deepEqual(readdirSync(join(dir, 'data', name.slice(0, 2))), [name], 'no temp is left behind');
    }
  });
});

describe('hostile zstd', () => {
  it('a frame that declares more than the limit is refused before decoding (TooLarge)', () => {
    // magic, descriptor with an 8-byte content size (flag 3, single segment), then 2^40
    const frame = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0]);
    assert.equal(zstdContentSize(frame), 2 ** 40);
    const t = Date.now();
    assert.throws(() => unzstd(frame, 1 << 20, 'blob'), { code: 'TooLarge' });
    assert.ok(Date.now() - t < 1000);
  });

  it('garbage after the magic is Integrity, not a crash', () => {
    assert.throws(() => unzstd(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xff, 0xff, 0xff, 0xff]), 1 << 20, 'blob'), (e: Error & { code?: string }) => e.code === 'Integrity' || e.code === 'TooLarge');
  });
});
