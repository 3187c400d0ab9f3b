import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { unzstd } from '../../../src/core/backup/encoding';
import { LEVEL, loadZstd, loadedZstd, nativeZstd, wasmZstd } from '../../../src/core/backup/zstdWrite';

const exec = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
const BINDING = join(ROOT, 'node_modules/zstd-napi/build/Release/binding.node');
// In CI the optional native build must be there: a failed compile would otherwise pass as "the wasm serves".
const NATIVE_SKIP = process.env.CI === 'true' || existsSync(BINDING) ? false : 'zstd-napi did not build here (optional): the wasm serves alone';

function samples(): Buffer[] {
  const log = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `2026-12-04T21:${String(i % 60).padStart(2, '0')}:00Z INFO request ${(i * 7919) % 100_000} took ${i % 900}ms`).join('\n'));
  return [Buffer.from('x'), log.subarray(0, 4096), log, randomBytes(256 * 1024), Buffer.concat([log, randomBytes(1 << 20), log]), Buffer.alloc(8 << 20, 0x61)];
}

describe('zstd builds: the native binding where it loads, the wasm elsewhere, reading each other', () => {
  it('the native build loads here, and is the one in use', { skip: NATIVE_SKIP }, async () => {
    const n = nativeZstd();
    assert.ok(n, `zstd-napi's binding did not load (${BINDING})`);
    assert.equal(n.backend, 'native');
    assert.equal(loadedZstd()?.backend, 'native');
    assert.equal(await loadZstd(), n.compress, 'writes compress with the native build');
  });

  it('each build decodes what the other wrote, byte for byte', { skip: NATIVE_SKIP }, async () => {
    const n = nativeZstd()!;
    const w = await wasmZstd();
    for (const plain of samples()) {
      const fromNative = n.compress(plain, LEVEL);
      const fromWasm = w.compress(plain, LEVEL);
      assert.ok(Buffer.from(w.decompress(fromNative, plain.length)).equals(plain), `wasm reads native's frame of ${plain.length} bytes`);
      assert.ok(Buffer.from(n.decompress(fromWasm, plain.length)).equals(plain), `native reads wasm's frame of ${plain.length} bytes`);
      assert.ok(Buffer.from(unzstd(fromNative, plain.length, 'blob')).equals(plain));
    }
  });

  it('native decoding: each result owns its memory whole (so it may move to another thread), and damage, a short buffer or two frames are handled as the wasm did', { skip: NATIVE_SKIP }, () => {
    const n = nativeZstd()!;
    const plain = Buffer.from('restic blob '.repeat(10_000));
    const frame = n.compress(plain, LEVEL);
    for (const out of [n.decompress(frame, plain.length), n.compress(Buffer.from('small'), LEVEL)]) {
      assert.equal(out.byteOffset, 0);
      assert.ok(out.buffer.byteLength >= out.length && out.buffer.byteLength < out.length + 4096 + 64, 'not a slice of a shared pool');
    }
    assert.throws(() => n.decompress(frame, plain.length - 1), 'the frame needs more room than given');
    const damaged = Uint8Array.from(frame);
    for (let i = 12; i < damaged.length; i += 7) damaged[i]! ^= 0x5a;
    assert.throws(() => unzstd(damaged, plain.length, 'blob'), { code: 'Integrity' });
    // two frames back to back: the first declares only its own size, so the streaming decoder reads both
    const two = Buffer.concat([frame, n.compress(Buffer.from('and more'), LEVEL)]);
    assert.equal(Buffer.from(unzstd(two, 1 << 20, 'blob')).toString(), plain.toString() + 'and more');
  });

  it('native decoding into a buffer that is not kept: a view of it when it is large enough, memory of its own when not', { skip: NATIVE_SKIP }, () => {
    const n = nativeZstd()!;
    const plain = Buffer.from('check reads and forgets '.repeat(5_000));
    const frame = n.compress(plain, LEVEL);
    const into = new Uint8Array(plain.length + 100);
    const out = unzstd(frame, 1 << 20, 'blob', into);
    assert.equal(out.buffer, into.buffer, 'decoded in place');
    assert.ok(Buffer.from(out).equals(plain));
    const small = new Uint8Array(plain.length - 1);
    const own = unzstd(frame, 1 << 20, 'blob', small);
    assert.notEqual(own.buffer, small.buffer);
    assert.ok(Buffer.from(own).equals(plain));
  });

  it('the build copies the binding beside the bundle, and it loads there in a fresh process', { skip: NATIVE_SKIP }, async () => {
    const copy = join(ROOT, 'dist/zstd-napi.node');
    assert.ok(existsSync(copy), 'dist/zstd-napi.node is missing: run node scripts/build.mjs');
    const script = `const b = require(${JSON.stringify(copy)}); const c = new b.CCtx(), d = new b.DCtx(); const src = Buffer.from('bundle '.repeat(999)); const f = Buffer.alloc(b.compressBound(src.length)); const n = c.compress(f, src, 1); const o = Buffer.alloc(src.length); d.decompress(o, f.subarray(0, n)); process.stdout.write(String(o.equals(src)));`;
    const r = await exec(process.execPath, ['-e', script], { env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(r.stdout, 'true');
  });
});
