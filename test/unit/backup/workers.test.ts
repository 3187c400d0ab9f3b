import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBlob, openBlobs, sealBlob, verifyPack, type PlacedBlob, type SealedBlob } from '../../../src/core/backup/blobOps';
import type { MasterKey } from '../../../src/core/backup/crypto';
import { sha256Hex } from '../../../src/core/backup/encoding';
import { BlobPool } from '../../../src/core/backup/workers';
import { noise, tempDir } from './helpers';

const key = (): MasterKey => ({ encrypt: randomBytes(32), macK: randomBytes(16), macR: randomBytes(16) });
const text = (n: number): Buffer => Buffer.from('restic pack index snapshot tree blob '.repeat(Math.ceil(n / 37)).slice(0, n));
/** Sizes around the compression probe (64 KiB) and the limits of a chunk. */
/** The bytes a pack stores for the blob: its IV, ciphertext and MAC joined. */
const joined = (s: SealedBlob): Buffer => Buffer.concat(s.sealed);
const SIZES = [0, 1, 63, 64, 65535, 65536, 131073, 512 * 1024, 8 * 1024 * 1024];

describe('backup worker pool', () => {
  it('runs on worker threads, and seals what the single-threaded sealBlob seals', async () => {
    const pool = BlobPool.start({ threads: 2 });
    const k = key();
    try {
      assert.equal(pool.threads, 2);
      for (const n of SIZES) {
        for (const [kind, plain] of [['text', text(n)], ['random', randomBytes(n)]] as const) {
          for (const compress of [false, true]) {
            const here = await sealBlob(k, plain, compress);
            const there = await pool.seal(k, plain, compress);
            const what = `${kind} ${n} compress=${compress}`;
            assert.equal(there.id, sha256Hex(plain), what);
            assert.equal(there.id, here.id, what);
            assert.equal(there.uncompressedLength, here.uncompressedLength, what);
            assert.equal(joined(there).length, joined(here).length, what);
            const back = await openBlob(k, joined(there), { uncompressedLength: there.uncompressedLength, id: there.id }, what);
            assert.ok(Buffer.from(back).equals(plain), what);
          }
        }
      }
    } finally {
      await pool.close();
    }
  });

  it('while its first thread starts it seals on this thread, and a caller that never yields still gets the thread once it is ready', async () => {
    const pool = BlobPool.start({ threads: 1, inlineWhileStarting: true });
    const k = key();
    try {
      // A lent buffer handed over stays usable when sealed here, and is detached when it moves
      // to the thread. Each seal is awaited with nothing else between (a backup's small files
      // are read with synchronous calls): the loop gives the event loop no turn of its own.
      let here = 0;
      let moved = false;
      for (let i = 0; i < 20_000 && !moved; i++) {
        if (i === 64) assert.equal(pool.threadsStarted, 0, 'no thread for the first 4 MiB: sealing them here costs less than a start');
        const buf = pool.lend(64 * 1024);
        buf.fill(i & 0xff);
        const s = await pool.seal(k, buf, false, { transfer: true });
        assert.equal(s.id, sha256Hex(Buffer.alloc(64 * 1024, i & 0xff)));
        if (buf.byteLength === 0) moved = true;
        else here++;
      }
      assert.ok(moved, `all ${here} seals ran on this thread: the ready thread never got one`);
      assert.ok(here > 256, `the first 16 MiB were sealed here, and more while the thread started (${here} seals)`);
      assert.equal(pool.threadsStarted, 1);
    } finally {
      await pool.close();
    }
  });

  it('opens and verifies blobs sealed on this thread, and sends a part of a buffer without the rest', async () => {
    const pool = BlobPool.start({ threads: 2 });
    const k = key();
    try {
      for (const plain of SIZES.flatMap((n) => [text(n), randomBytes(n)])) {
        const n = plain.length;
        const s = await sealBlob(k, plain, true);
        // the blob as a part of a bigger buffer, as read from a pack
        const pack = Buffer.concat([randomBytes(5), ...s.sealed, randomBytes(9)]);
        const view = pack.subarray(5, 5 + joined(s).length);
        const shape = { uncompressedLength: s.uncompressedLength, id: s.id };
        const opened = await pool.open(k, view, shape, `blob ${n}`);
        assert.ok(Buffer.from(opened).equals(plain), `open ${n}`);
        assert.equal(pack.length, joined(s).length + 14, 'the caller keeps its buffer');
        const v = await pool.verifyPack(k, pack, sha256Hex(pack), [{ offset: 5, length: view.length, shape: { id: s.id, ...(s.uncompressedLength !== undefined ? { uncompressedLength: s.uncompressedLength } : {}) }, what: `blob ${n}` }]);
        assert.deepEqual(v, { hashOk: true, failures: [undefined] }, `verify ${n}`);
      }
      // without an id only the MAC and the decompression are checked
      const s = await sealBlob(k, noise(1000, 3), false);
      assert.ok(Buffer.from(await pool.open(k, joined(s), {}, 'x', { transfer: true })).equals(noise(1000, 3)));
    } finally {
      await pool.close();
    }
  });

  it('lends read buffers and gets them back once sealed; a part of a lent buffer is copied, so the rest stays readable', async () => {
    for (const threads of [2, 0]) {
      const pool = BlobPool.start({ threads });
      const k = key();
      try {
        const a = pool.lend(100_000);
        assert.equal(a.length, 100_000);
        a.fill(0xab);
        const s = await pool.seal(k, a, true, { transfer: true });
        assert.equal(s.id, sha256Hex(Buffer.alloc(100_000, 0xab)), `threads=${threads}`);
        // the same buffer again (a new one would be zeros): nothing new was allocated
        const again = pool.lend(90_000);
        assert.ok(again.every((x) => x === 0xab), `threads=${threads}: the returned buffer is lent again`);
        // two blobs cut from one lent buffer: neither takes the buffer away from the other
        again.fill(1, 0, 40_000).fill(2, 40_000);
        const [first, second] = await Promise.all([pool.seal(k, again.subarray(0, 40_000), true, { transfer: true }), pool.seal(k, again.subarray(40_000), true, { transfer: true })]);
        assert.equal(first.id, sha256Hex(Buffer.alloc(40_000, 1)));
        assert.equal(second.id, sha256Hex(Buffer.alloc(50_000, 2)));
        assert.ok(again.every((x, i) => x === (i < 40_000 ? 1 : 2)), 'the lent buffer is still whole here');
        assert.throws(() => pool.lend(2 << 20), RangeError);
      } finally {
        await pool.close();
      }
    }
  });

  it('takes written buffers back to free them on a worker thread: whole ones of 4 KiB or more only', async () => {
    const pool = BlobPool.start({ threads: 1 });
    try {
      await pool.seal(key(), text(10), false); // a thread is ready
      const big = new Uint8Array(8192);
      const small = new Uint8Array(100);
      const shared = new Uint8Array(16384);
      const part = shared.subarray(0, 8192);
      pool.giveBack([big, small, part]);
      assert.equal(big.byteLength, 0, 'moved to the thread');
      assert.equal(small.byteLength, 100, 'too small to be worth a message');
      assert.equal(shared.byteLength, 16384, 'a part of a buffer stays');
    } finally {
      await pool.close();
    }
  });

  it('reports a bad MAC, a wrong id and a wrong length as Integrity errors naming the blob', async () => {
    const pool = BlobPool.start({ threads: 1 });
    const k = key();
    try {
      const s = await pool.seal(k, text(200_000), true);
      assert.ok(s.uncompressedLength !== undefined);
      const damaged = Uint8Array.from(joined(s));
      damaged[20]! ^= 1;
      await assert.rejects(pool.open(k, damaged, { uncompressedLength: s.uncompressedLength }, 'data blob 1234'), (e: Error & { code?: string }) => e.code === 'Integrity' && /^data blob 1234: the MAC does not match/.test(e.message));
      const wrongId = await pool.verifyPack(k, joined(s), sha256Hex(joined(s)), [{ offset: 0, length: joined(s).length, shape: { uncompressedLength: s.uncompressedLength!, id: '0'.repeat(64) }, what: 'data blob 5678' }]);
      const e = wrongId.failures[0] as Error & { code?: string };
      assert.ok(e.code === 'Integrity' && /data blob 5678: its content does not hash to its id/.test(e.message), String(e));
      await assert.rejects(pool.open(k, joined(s), { uncompressedLength: s.uncompressedLength! - 1 }, 'data blob 9'), (e: Error & { code?: string }) => e.code === 'TooLarge' || e.code === 'Integrity');
      await assert.rejects(pool.open(key(), joined(s), {}, 'data blob a'), (e: Error & { code?: string }) => e.code === 'Integrity');
      // the pool still works after failed jobs
      assert.equal((await pool.seal(k, text(10), false)).id, sha256Hex(text(10)));
    } finally {
      await pool.close();
    }
  });

  it('checks a whole pack on a thread as on this one: its hash, and each blob good or bad in order', async () => {
    const pool = BlobPool.start({ threads: 1 });
    const k = key();
    try {
      const a = await sealBlob(k, text(300_000), true);
      const b = await sealBlob(k, randomBytes(100_000), true);
      const c = await sealBlob(k, text(5000), false);
      const parts = [a, b, c].map(joined);
      const pack = Buffer.concat([...parts, randomBytes(40)]);
      const packId = sha256Hex(pack);
      let at = 0;
      const placed: PlacedBlob[] = [a, b, c].map((s, i) => {
        const p = { offset: at, length: parts[i]!.length, shape: { id: s.id, ...(s.uncompressedLength !== undefined ? { uncompressedLength: s.uncompressedLength } : {}) }, what: `blob ${i}` };
        at += parts[i]!.length;
        return p;
      });
      const blobs: PlacedBlob[] = [
        ...placed,
        { ...placed[1]!, shape: { id: '0'.repeat(64) }, what: 'wrong id' },
        { ...placed[2]!, offset: pack.length - 10, what: 'past the end' },
      ];
      const damaged = Buffer.from(pack);
      damaged[placed[0]!.offset + 50]! ^= 1;
      const summary = (v: { hashOk: boolean; failures: unknown[] }) => ({ hashOk: v.hashOk, failures: v.failures.map((e) => (e === undefined ? 'ok' : `${(e as { code?: string }).code}: ${(e as Error).message}`)) });
      for (const [bytes, id] of [[pack, packId], [damaged, packId]] as const) {
        const here = summary(await verifyPack(k, bytes, id, blobs));
        const there = summary(await pool.verifyPack(k, bytes, id, blobs));
        assert.deepEqual(there, here);
      }
      const good = summary(await pool.verifyPack(k, pack, packId, blobs));
      assert.equal(good.hashOk, true);
      assert.deepEqual(good.failures.slice(0, 3), ['ok', 'ok', 'ok']);
      assert.match(good.failures[3]!, /^Integrity: wrong id: its content does not hash to its id/);
      assert.match(good.failures[4]!, /^Integrity: past the end: lies past the pack's end/);
      const bad = summary(await pool.verifyPack(k, damaged, packId, blobs));
      assert.equal(bad.hashOk, false);
      assert.match(bad.failures[0]!, /^Integrity: blob 0: the MAC does not match/);
      assert.deepEqual(bad.failures.slice(1, 3), ['ok', 'ok']);
      // handed over: the pack's buffer moves to the thread
      const moved = Buffer.from(pack);
      assert.equal((await pool.verifyPack(k, moved, packId, placed, { transfer: true })).hashOk, true);
      assert.equal(moved.buffer.byteLength, 0, 'a handed-over pack leaves this thread');
      // and comes back with the verdict, to read the next pack into
      const again = Buffer.from(pack);
      const back = await pool.verifyPack(k, again, packId, placed, { transfer: true });
      assert.ok(back.bytes && Buffer.from(back.bytes).equals(pack), 'the buffer comes back, bytes intact');
      // whole: a pack read into the start of a larger buffer of ours moves with all of it, no copy
      const room = new Uint8Array(pack.length + 4096);
      room.set(pack);
      const view = room.subarray(0, pack.length);
      const w = await pool.verifyPack(k, view, packId, placed, { transfer: true, whole: true });
      assert.equal(w.hashOk, true, 'only the view is hashed');
      assert.equal(room.byteLength, 0, 'the whole buffer moved');
      assert.equal(w.bytes?.buffer.byteLength, pack.length + 4096);
      assert.equal(w.bytes?.length, pack.length);
    } finally {
      await pool.close();
    }
  });

  it('opens a run of blobs read at once on a thread as on this one: each plaintext, or the error of the blob that failed', async () => {
    const pool = BlobPool.start({ threads: 1 });
    const k = key();
    try {
      const plains = [text(300_000), randomBytes(100_000), text(5000), Buffer.alloc(0)];
      const sealed = await Promise.all(plains.map((p, i) => sealBlob(k, p, i !== 2)));
      const parts = sealed.map(joined);
      const run = Buffer.concat([randomBytes(7), ...parts]);
      let at = 7;
      const placed: PlacedBlob[] = sealed.map((s, i) => {
        const p = { offset: at, length: parts[i]!.length, shape: { id: s.id, ...(s.uncompressedLength !== undefined ? { uncompressedLength: s.uncompressedLength } : {}) }, what: `blob ${i}` };
        at += parts[i]!.length;
        return p;
      });
      const blobs: PlacedBlob[] = [...placed, { ...placed[1]!, shape: { id: '0'.repeat(64) }, what: 'wrong id' }, { ...placed[2]!, offset: run.length - 10, what: 'past the end' }];
      const damaged = Buffer.from(run);
      damaged[placed[0]!.offset + 50]! ^= 1;
      const summary = (r: (Uint8Array | Error)[]) => r.map((x) => (x instanceof Error ? `${(x as { code?: string }).code}: ${x.message}` : sha256Hex(x)));
      const want = plains.map((p) => sha256Hex(p));
      for (const bytes of [run, damaged]) {
        const here = summary(await openBlobs(k, bytes, blobs));
        const there = summary(await pool.openBlobs(k, Buffer.from(bytes), blobs, { transfer: true }));
        assert.deepEqual(there, here);
      }
      const good = summary(await pool.openBlobs(k, run, blobs));
      assert.deepEqual(good.slice(0, 4), want);
      assert.match(good[4]!, /^Integrity: wrong id: its content does not hash to its id/);
      assert.match(good[5]!, /^Integrity: past the end: lies past the end of what was read/);
      const bad = summary(await pool.openBlobs(k, damaged, blobs));
      assert.match(bad[0]!, /^Integrity: blob 0: the MAC does not match/);
      assert.deepEqual(bad.slice(1, 4), want.slice(1));
      const moved = Buffer.from(run);
      await pool.openBlobs(k, moved, placed, { transfer: true });
      assert.equal(moved.buffer.byteLength, 0, 'a handed-over run leaves this thread');
    } finally {
      await pool.close();
    }
  });

  it('fails every job with a clear Unavailable error when a worker thread dies', async () => {
    const dir = tempDir('workers');
    const bad = join(dir, 'bad-worker.js');
    writeFileSync(bad, "throw new Error('this test worker fails as it starts');\n");
    const pool = BlobPool.start({ threads: 2, workerPath: bad });
    try {
      const jobs = [pool.seal(key(), text(100), true), pool.seal(key(), text(100), true)];
      for (const j of jobs) await assert.rejects(j, (e: Error & { code?: string }) => e.code === 'Unavailable' && /backup worker thread stopped \(this test worker fails as it starts\)/.test(e.message));
      await assert.rejects(pool.seal(key(), text(1), false), (e: Error & { code?: string }) => e.code === 'Unavailable');
    } finally {
      await pool.close();
    }
  });

  it('bounds what is queued, and after close ends its threads and refuses new jobs', async () => {
    const pool = BlobPool.start({ threads: 2, maxQueuedBytes: 300_000 });
    const k = key();
    const plains = Array.from({ length: 40 }, (_, i) => noise(100_000 + i, i + 1));
    const sealed = await Promise.all(plains.map((p) => pool.seal(k, p, true)));
    assert.deepEqual(sealed.map((s) => s.id), plains.map((p) => sha256Hex(p)));
    const before = process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
    await pool.close();
    const after = process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
    assert.ok(after < before, `worker ports still open after close (${before} -> ${after})`);
    await assert.rejects(pool.seal(k, plains[0]!, false), (e: Error & { code?: string }) => e.code === 'Unavailable' && /closed/.test(e.message));
    await pool.close();
  });
});
