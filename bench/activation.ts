// Activation of the extension in the real extension host (code-server), in fresh hosts, beside an
// empty extension loaded the same way in the same host and run.
import { runInHost } from '../test/support/runIntegration';
import { median, line } from './report';

const rounds = Number(process.env.BENCH_ROUNDS ?? (process.env.BENCH_QUICK ? 3 : 5));
/** The target: at most this much over the empty extension. */
const TARGET_OVER_EMPTY_MS = 10;

interface Round {
  wasActive?: boolean;
  failed?: number;
  hostMs: number;
  activationMs: number;
  loadMs: number;
  loaded: string[];
  ui: string[];
  empty: { requireMs: number; activateMs: number };
  oursRequireMs: number;
  vscode: string;
}

async function main(): Promise<void> {
  const ours: number[] = [];
  const empty: number[] = [];
  const oursRequire: number[] = [];
  const emptyRequire: number[] = [];
  const body: number[] = [];
  const stamped: number[] = [];
  const host: number[] = [];
  let loaded: string[] = [];
  let version = '';
  for (let i = 0; i < rounds; i++) {
    const r = JSON.parse(await runInHost('out/bench/activation.js', { SI_BENCH_ORDER: i % 2 ? 'ours-first' : 'empty-first' })) as Round;
    if (r.failed || r.wasActive) throw new Error(`activation bench round ${i} failed: ${JSON.stringify(r)}`);
    // The same two steps for both: require() of the main file (read, compile, evaluate), then activate().
    ours.push(r.oursRequireMs + r.activationMs);
    empty.push(r.empty.requireMs + r.empty.activateMs);
    oursRequire.push(r.oursRequireMs);
    emptyRequire.push(r.empty.requireMs);
    body.push(r.activationMs);
    stamped.push(r.loadMs);
    host.push(r.hostMs);
    loaded = [...new Set([...loaded, ...r.loaded, ...r.ui])];
    version = r.vscode;
  }
  const o = median(ours);
  const e = median(empty);
  const over = o - e;
  line(`activation in VS Code ${version}: require() of the main bundle + activate(), median of ${rounds}`,
    `${o.toFixed(1)} ms`, `empty extension, same host and run: ${e.toFixed(1)} ms`,
    `${over.toFixed(1)} ms over empty (${(o / Math.max(e, 0.01)).toFixed(1)}x); target <= ${TARGET_OVER_EMPTY_MS} ms over: ${over <= TARGET_OVER_EMPTY_MS ? 'met' : 'NOT met'}`);
  line('  of which require() / activate()', `${median(oursRequire).toFixed(1)} ms / ${median(body).toFixed(1)} ms`, `${median(emptyRequire).toFixed(1)} ms / ${median(empty.map((x, i) => x - emptyRequire[i]!)).toFixed(1)} ms`, '');
  line('  main bundle evaluation as the host loaded it (banner to footer)', `${median(stamped).toFixed(1)} ms`, '', '');
  line('whole ext.activate() round trip in the host (adds VS Code\'s own work: reading the manifest, building the ExtensionContext)',
    `${median(host).toFixed(1)} ms`, 'not ours to shorten', '');
  line('bundles loaded by activation', loaded.length ? loaded.join(', ') : 'none (no AWS SDK, sql.js, crypto, or area handlers)', 'expected: none', loaded.length ? 'FAIL' : 'ok');
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
