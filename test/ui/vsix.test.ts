// The .vsix carries only what runs or is shown: no sources, tests, maps or node_modules.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const vsix = path.resolve(__dirname, '../../dist-vsix/storage-inspector.vsix');

describe('the .vsix contents', () => {
  // A missing .vsix fails here: `npm run package` (scripts/test.sh runs it) makes it.
  const files = execFileSync('/usr/bin/unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter((f) => f && !f.endsWith('/'));
  const allowed = [
    /^extension\.vsixmanifest$/, /^\[Content_Types\]\.xml$/,
    /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/i,
    /^extension\/dist\/[\w-]+\.(js|wasm)$/, /^extension\/dist\/(zstd-napi|sodium-native)\.node$/, /^extension\/media\/[\w./-]+\.(svg|png|css|js)$/,
    /^extension\/docs\/screenshots\/[\w-]+\.png$/, // the README's pictures
  ];

  it('lists only allowed files', () => {
    assert.deepEqual(files.filter((f) => !allowed.some((re) => re.test(f))), []);
  });

  it('has the main bundle, the lazy bundles, the sql.js and zstd wasm, and no maps or sources', () => {
    for (const f of ['extension/dist/extension.js', 'extension/dist/s3.js', 'extension/dist/sql.js', 'extension/dist/codec.js', 'extension/dist/backup.js', 'extension/dist/backup-worker.js', 'extension/dist/sql-wasm.wasm', 'extension/dist/wasm-zstd.wasm']) {
      assert.ok(files.includes(f), `${f} is packaged`);
    }
    assert.deepEqual(files.filter((f) => /\.(map|ts)$|node_modules|\/src\/|\/test\//.test(f)), []);
  });

  it('carries zstd\'s native build where it was compiled here (in CI it must be)', () => {
    const built = existsSync(path.resolve(__dirname, '../../node_modules/zstd-napi/build/Release/binding.node'));
    assert.equal(files.includes('extension/dist/zstd-napi.node'), built || process.env.CI === 'true');
  });

  it('carries Poly1305\'s native build (sodium-native\'s prebuilt binding) where there is one for this platform (in CI there is)', () => {
    const prebuilt = existsSync(path.resolve(__dirname, `../../node_modules/sodium-native/prebuilds/${process.platform}-${process.arch}/sodium-native.node`));
    assert.equal(files.includes('extension/dist/sodium-native.node'), prebuilt || process.env.CI === 'true');
  });

  it('has the README and the CHANGELOG', () => {
    assert.ok(files.some((f) => /^extension\/readme\.md$/i.test(f)));
    assert.ok(files.some((f) => /^extension\/changelog\.md$/i.test(f)));
  });
});
