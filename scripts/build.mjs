// Bundles the extension with esbuild: a small main bundle plus lazy bundles loaded on first use,
// the CLI, the sql.js worker and wasm, and the integration tests. `--production` minifies.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const root = new URL('..', import.meta.url).pathname;
const at = (p) => join(root, p);

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  metafile: true,
  // Dynamic requires of the lazy bundles are intentional.
  logOverride: { 'unsupported-require-call': 'silent' },
};

/** Packages that must never reach the main bundle: activation must not pay for them. */
const HEAVY = ['node_modules/@aws-sdk', 'node_modules/@smithy', 'node_modules/sql.js', 'node_modules/@noble', 'node_modules/hash-wasm', 'node_modules/fflate', 'src/core/codec', 'src/core/s3', 'src/core/sql'];

rmSync(at('dist'), { recursive: true, force: true });
mkdirSync(at('dist'), { recursive: true });

// Banner and footer stamp the bundle's evaluation, so activation time covers load + activate().
const main = await esbuild.build({
  ...common,
  entryPoints: { extension: at('src/extension.ts') },
  outdir: at('dist'),
  banner: { js: 'globalThis.__storageInspectorLoad=[performance.now()];' },
  footer: { js: 'globalThis.__storageInspectorLoad.push(performance.now());' },
});
const heavyInMain = Object.keys(main.metafile.inputs).filter((i) => HEAVY.some((h) => i.includes(h)));
if (heavyInMain.length > 0) {
  console.error(`build: the main bundle must stay light, but it includes:\n  ${heavyInMain.slice(0, 10).join('\n  ')}\nReach these through src/vscode/lazy.ts.`);
  process.exit(1);
}

const lazyEntries = {
  codec: 'src/lazy/codec.ts',
  s3: 'src/lazy/s3.ts',
  sql: 'src/lazy/sql.ts',
  'sql-worker': 'src/core/sql/worker.ts',
  'codec-worker': 'src/core/codec/worker/entry.ts',
  cli: 'src/cli/main.ts',
};
const present = Object.fromEntries(Object.entries(lazyEntries).filter(([, f]) => existsSync(at(f))).map(([k, f]) => [k, at(f)]));
await esbuild.build({ ...common, entryPoints: present, outdir: at('dist') });
if (existsSync(at('dist/cli.js'))) {
  const cli = readFileSync(at('dist/cli.js'), 'utf8');
  if (!cli.startsWith('#!')) writeFileSync(at('dist/cli.js'), `#!/usr/bin/env node\n${cli}`);
  chmodSync(at('dist/cli.js'), 0o755);
}
const wasm = at('node_modules/sql.js/dist/sql-wasm.wasm');
if (existsSync(wasm)) copyFileSync(wasm, at('dist/sql-wasm.wasm'));

if (!production || process.argv.includes('--tests')) {
  // Integration suites run inside the extension host; mocha stays external (required from node_modules).
  const dir = at('test/integration');
  const entries = Object.fromEntries(
    readdirSync(dir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => [f.replace(/\.ts$/, ''), join(dir, f)]),
  );
  rmSync(at('out'), { recursive: true, force: true });
  await esbuild.build({ ...common, minify: false, sourcemap: 'inline', external: ['vscode', 'mocha'], entryPoints: entries, outdir: at('out/test/integration') });
  const benchDir = at('bench/host');
  const benchEntries = Object.fromEntries(readdirSync(benchDir).filter((f) => f.endsWith('.ts')).map((f) => [f.replace(/\.ts$/, ''), join(benchDir, f)]));
  await esbuild.build({ ...common, minify: false, entryPoints: benchEntries, outdir: at('out/bench') });
}

const size = (f) => (existsSync(at(f)) ? (readFileSync(at(f)).length / 1024).toFixed(1) + ' KB' : '-');
console.log(`build: dist/extension.js ${size('dist/extension.js')}; lazy: ${Object.keys(present).map((k) => `${k} ${size(`dist/${k}.js`)}`).join(', ')}${production ? ' (production)' : ''}`);
