// Bundles the extension with esbuild: a small main bundle plus lazy bundles loaded on first use,
// the CLI, the sql.js worker and wasm, and the integration tests. `--production` minifies.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const root = new URL('..', import.meta.url).pathname;
const at = (p) => join(root, p);

const vscodeApi = at('src/vscode/api.ts');
/** Resolves `import 'vscode'` to src/vscode/api.ts everywhere but in that file (see there why). */
const oneVscodeImport = {
  name: 'one-vscode-import',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.importer === vscodeApi ? { path: 'vscode', external: true } : { path: vscodeApi }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // @foxglove/wasm-zstd's loader requires its .wasm only in a browser; in Node it reads the file
  // beside the bundle (copied to dist/ below).
  external: ['vscode', '*.wasm'],
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  metafile: true,
  // Dynamic requires of the lazy bundles are intentional.
  logOverride: { 'unsupported-require-call': 'silent' },
};

/** Packages that must never reach the main bundle: activation must not pay for them. */
const HEAVY = ['node_modules/@aws-sdk', 'node_modules/@smithy', 'node_modules/sql.js', 'node_modules/@noble', 'node_modules/hash-wasm', 'node_modules/fflate', 'node_modules/@foxglove', 'node_modules/pg', 'node_modules/pg-cursor', 'node_modules/pg-protocol', 'node_modules/pg-pool', 'src/core/codec', 'src/core/s3', 'src/core/sql', 'src/core/pg', 'src/core/backup',
  // Builds an ICU collator as it loads: about 30 ms of the main bundle's evaluation, measured.
  'src/core/local/listing'];

rmSync(at('dist'), { recursive: true, force: true });
mkdirSync(at('dist'), { recursive: true });

// Banner and footer stamp the bundle's evaluation, so activation time covers load + activate().
const main = await esbuild.build({
  ...common,
  plugins: [oneVscodeImport],
  entryPoints: { extension: at('src/extension.ts') },
  outdir: at('dist'),
  banner: { js: 'globalThis.__storageInspectorLoad=[performance.now()];' },
  footer: { js: 'globalThis.__storageInspectorLoad.push(performance.now());' },
});
/** Each area's command handlers and renderers: they load on first use, never with activation. */
const AREA_UI = /^src\/(lazy\/|vscode\/(?!general\/)\w+\/(commands|\w+Commands|render|integrity|transform)\.ts$)/;
const heavyInMain = Object.keys(main.metafile.inputs).filter((i) => HEAVY.some((h) => i.includes(h)) || AREA_UI.test(i));
if (heavyInMain.length > 0) {
  console.error(`build: the main bundle must stay light, but it includes:\n  ${heavyInMain.slice(0, 10).join('\n  ')}\nReach these through src/vscode/lazy.ts.`);
  process.exit(1);
}

const lazyEntries = {
  'backup-ui': 'src/lazy/backupUi.ts',
  'keys-ui': 'src/lazy/keysUi.ts',
  'local-ui': 'src/lazy/localUi.ts',
  's3-ui': 'src/lazy/s3Ui.ts',
  'sql-ui': 'src/lazy/sqlUi.ts',
  'pg-ui': 'src/lazy/pgUi.ts',
  codec: 'src/lazy/codec.ts',
  s3: 'src/lazy/s3.ts',
  sql: 'src/lazy/sql.ts',
  pg: 'src/lazy/pg.ts',
  backup: 'src/lazy/backup.ts',
  'sql-worker': 'src/core/sql/worker.ts',
  'codec-worker': 'src/core/codec/worker/entry.ts',
  // the blob worker threads of backup, restore and check (src/core/backup/workers.ts starts them)
  'backup-worker': 'src/core/backup/blobWorker.ts',
  cli: 'src/cli/main.ts',
  // libsodium (poly1305.ts loads it once a thread has MAC'd 24 MiB) in its own file: its 1.2 MB
  // of JS inside cli.js and backup-worker.js was compiled at every start (the CLI's compile: 68 -> 50 ms).
  sodium: 'node_modules/libsodium-wrappers-sumo',
  // the AWS SDK for S3 repositories (location.ts requires it for an s3: repository only): apart,
  // a command on a local repository does not compile its code at every start
  'backup-s3': 'src/core/backup/s3Parts.ts',
};
/** The other bundles require libsodium from dist/sodium.js, beside them, when they need it. */
const sodiumApart = {
  name: 'sodium-apart',
  setup(build) {
    build.onResolve({ filter: /^libsodium-wrappers-sumo$/ }, (args) => (args.kind === 'entry-point' ? undefined : { path: './sodium.js', external: true }));
  },
};
/** location.ts's s3Parts is dist/backup-s3.js, beside the bundle that requires it. */
const s3Apart = {
  name: 's3-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/s3Parts$/ }, (args) => (args.kind === 'entry-point' ? undefined : { path: './backup-s3.js', external: true }));
  },
};
// node-postgres requires pg-native only when asked for it (new pg.native.Pool), which we never do.
const lazy = await esbuild.build({ ...common, external: [...common.external, 'pg-native'], plugins: [oneVscodeImport, sodiumApart, s3Apart], entryPoints: Object.fromEntries(Object.entries(lazyEntries).map(([k, f]) => [k, at(f)])), outdir: at('dist') });
// A module with state (a Map of panels, open databases, clients) must exist once: in the main
// bundle, reached by the handlers through Ctx. A copy in an area bundle would be a second state.
const STATEFUL = /^src\/vscode\/(ctx|webviews\/gridPanel|\w+\/(services|tree|fileSystem|connections|databases|queries|keyService|decorations|watch|repositories))\.ts$/;
for (const [file, out] of Object.entries(lazy.metafile.outputs)) {
  const inputs = Object.keys(out.inputs);
  const copies = /-ui\.js$/.test(file) ? inputs.filter((i) => STATEFUL.test(i)) : [];
  if (copies.length > 0) {
    console.error(`build: ${file} must reach these through Ctx (import type only), but bundles a copy:\n  ${copies.join('\n  ')}`);
    process.exit(1);
  }
  if (!file.endsWith('/sodium.js') && inputs.some((i) => i.includes('node_modules/libsodium'))) {
    console.error(`build: ${file} bundles a copy of libsodium; it must require dist/sodium.js`);
    process.exit(1);
  }
}
const cli = readFileSync(at('dist/cli.js'), 'utf8');
if (!cli.startsWith('#!')) writeFileSync(at('dist/cli.js'), `#!/usr/bin/env node\n${cli}`);
chmodSync(at('dist/cli.js'), 0o755);
copyFileSync(at('node_modules/sql.js/dist/sql-wasm.wasm'), at('dist/sql-wasm.wasm'));
// zstd for compressed backups: its loader reads wasm-zstd.wasm from beside the bundle.
copyFileSync(at('node_modules/@foxglove/wasm-zstd/dist/wasm-zstd.wasm'), at('dist/wasm-zstd.wasm'));
// zstd's native build, when the optional dependency compiled here: the backup code loads it from
// beside the bundle, and falls back to the wasm where it is absent or built for another platform.
const zstdNative = at('node_modules/zstd-napi/build/Release/binding.node');
rmSync(at('dist/zstd-napi.node'), { force: true });
if (existsSync(zstdNative)) copyFileSync(zstdNative, at('dist/zstd-napi.node'));
// Poly1305's native build (sodium-native's prebuilt binding for this platform), loaded the same way.
const sodiumNative = at(`node_modules/sodium-native/prebuilds/${process.platform}-${process.arch}/sodium-native.node`);
rmSync(at('dist/sodium-native.node'), { force: true });
if (existsSync(sodiumNative)) copyFileSync(sodiumNative, at('dist/sodium-native.node'));

if (!production || process.argv.includes('--tests')) {
  // Integration suites run inside the extension host; mocha stays external (required from node_modules).
  const dir = at('test/integration');
  const entries = Object.fromEntries(
    readdirSync(dir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => [f.replace(/\.ts$/, ''), join(dir, f)]),
  );
  rmSync(at('out'), { recursive: true, force: true });
  await esbuild.build({ ...common, minify: false, sourcemap: 'inline', external: [...common.external, 'mocha'], entryPoints: entries, outdir: at('out/test/integration') });
  const benchDir = at('bench/host');
  const benchEntries = Object.fromEntries(readdirSync(benchDir).filter((f) => f.endsWith('.ts')).map((f) => [f.replace(/\.ts$/, ''), join(benchDir, f)]));
  await esbuild.build({ ...common, minify: false, entryPoints: benchEntries, outdir: at('out/bench') });
}

const size = (f) => (readFileSync(at(f)).length / 1024).toFixed(1) + ' KB';
console.log(`build: dist/extension.js ${size('dist/extension.js')}; lazy: ${Object.keys(lazyEntries).map((k) => `${k} ${size(`dist/${k}.js`)}`).join(', ')}${production ? ' (production)' : ''}`);
