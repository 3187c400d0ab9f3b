// Codec throughput against the reference CLIs on one JSON-log file, and peak RSS while streaming.
// Run alone: node --import tsx bench/codec.ts   (BENCH_QUICK=1 for a small, fast run)
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as esbuild from 'esbuild';
import type { Layer } from '../src/core/codec/api';
import { decodeStream, encodeStream, generateIdentity } from '../src/core/codec/pipeline';
import { primitives, type BackendName } from '../src/core/codec/primitives';
import { ensureLogFile } from './codecData';
import { line, median } from './report';

const QUICK = process.env.BENCH_QUICK !== undefined && process.env.BENCH_QUICK !== '';
const MiB = 1 << 20;
const SIZE = (QUICK ? 32 : 256) * MiB;
const RSS_SIZE = (QUICK ? 128 : 1024) * MiB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 3 : 5));
const ROOT = resolve(__dirname, '..');
const DIR = join(ROOT, 'bench-data', 'codec');
const AGE = '/usr/bin/age';

const at = (f: string): string => join(DIR, f);
const mbps = (bytes: number, seconds: number): string => `${(bytes / seconds / 1e6).toFixed(0)} MB/s`;
const verdict = (ratio: number, target: number): string => `${ratio.toFixed(2)}x (target >= ${target}x: ${ratio >= target ? 'met' : 'NOT met'})`;

interface Pair {
  ours: number;
  peer: number;
  /** Median of the per-round ratios peer time / our time. */
  ratio: number;
}

/**
 * Runs the peer and ours alternately, round by round, so that load from other processes on a
 * shared machine hits both sides alike; the ratio is the median of the rounds' ratios.
 */
async function pair(peer: () => unknown, ours: () => Promise<unknown>): Promise<Pair> {
  const p: number[] = [];
  const o: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    peer();
    p.push((performance.now() - t) / 1000);
    t = performance.now();
    await ours();
    o.push((performance.now() - t) / 1000);
  }
  return { ours: median(o), peer: median(p), ratio: median(p.map((x, i) => x / (o[i] as number))) };
}

const sh = (script: string) => () => execFileSync('/bin/bash', ['-c', script], { stdio: ['ignore', 'ignore', 'inherit'] });

async function run(input: string, output: string, make: (src: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>): Promise<void> {
  const src = createReadStream(input, { highWaterMark: MiB });
  await pipeline(Readable.from(make(src), { objectMode: false }), createWriteStream(output));
}

async function main(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const log = at('log.json');
  await ensureLogFile(log, SIZE);
  const { identity, recipient } = generateIdentity();
  writeFileSync(at('identity.txt'), `${identity}\n`, { mode: 0o600 });
  const encode = (layers: Layer[], backend: BackendName) => (src: AsyncIterable<Uint8Array>) =>
    encodeStream(src, layers, { recipients: [recipient], gzipLevel: 6, backend: primitives(backend) });
  const decode = (backend: BackendName) => (src: AsyncIterable<Uint8Array>) => decodeStream(src, { identities: [identity], backend: primitives(backend) });
  const GZ_AGE: Layer[] = [{ kind: 'age' }, { kind: 'gzip' }];
  const AGE_ONLY: Layer[] = [{ kind: 'age' }];
  const label = `${SIZE / MiB} MiB JSON log, median of ${ROUNDS} interleaved rounds`;

  // Reference files written by the CLIs; both sides decode the same bytes.
  sh(`gzip -6 -c ${log} | ${AGE} -r ${recipient} > ${at('ref.gz.age')}`)();
  sh(`${AGE} -r ${recipient} -o ${at('ref.age')} ${log}`)();
  const ratio = SIZE / statSync(at('ref.gz.age')).size;

  const peerEnc = sh(`gzip -6 -c ${log} | ${AGE} -r ${recipient} > ${at('peer.out')}`);
  const peerDec = sh(`${AGE} -d -i ${at('identity.txt')} ${at('ref.gz.age')} | gzip -dc > ${at('peer.out')}`);
  const peerAgeEnc = sh(`${AGE} -r ${recipient} -o ${at('peer.out')} ${log}`);
  const peerAgeDec = sh(`${AGE} -d -i ${at('identity.txt')} -o ${at('peer.out')} ${at('ref.age')}`);

  for (const backend of ['node', 'portable'] as BackendName[]) {
    const portable = backend === 'portable';
    const show = (name: string, peerName: string, target: number, r: Pair, extra = ''): void =>
      line(name, mbps(SIZE, r.ours), `${peerName}: ${mbps(SIZE, r.peer)}`, `${portable ? `${r.ratio.toFixed(2)}x (no target)` : verdict(r.ratio, target)}${extra}`);
    const enc = await pair(peerEnc, () => run(log, at('ours.out'), encode(GZ_AGE, backend)));
    show(`codec.encode gzip6+age (${backend}, ${label})`, 'gzip -6 | age -r', 1.3, enc, `, ratio ${ratio.toFixed(2)}x`);
    const dec = await pair(peerDec, () => run(at('ref.gz.age'), at('ours.out'), decode(backend)));
    show(`codec.decode age+gunzip (${backend})`, 'age -d | gunzip', 1.0, dec);
    const ageEnc = await pair(peerAgeEnc, () => run(log, at('ours.out'), encode(AGE_ONLY, backend)));
    show(`codec.encode age only (${backend})`, 'age -r', 0.9, ageEnc);
    const ageDec = await pair(peerAgeDec, () => run(at('ref.age'), at('ours.out'), decode(backend)));
    show(`codec.decode age only (${backend})`, 'age -d', 0.9, ageDec);
  }

  // Peak RSS in a fresh child running the bundled code (no TypeScript loader in the figure).
  const child = at('codecRss.js');
  await esbuild.build({ entryPoints: [join(__dirname, 'codecRss.ts')], bundle: true, platform: 'node', target: 'node20', outfile: child, logLevel: 'warning' });
  for (const backend of ['node', 'portable'] as BackendName[]) {
    if (backend === 'portable' && !QUICK && process.env.BENCH_PORTABLE_RSS === undefined) {
      line('codec.stream peak RSS (portable)', 'skipped at 1 GiB (fflate gzip at ~40 MB/s)', 'set BENCH_PORTABLE_RSS=1 to run', '');
      continue;
    }
    const rss = (args: string[]): { bytes: number; maxRssKB: number } =>
      JSON.parse(execFileSync(process.execPath, [child, ...args, backend]).toString()) as { bytes: number; maxRssKB: number };
    const e = rss(['encode', String(RSS_SIZE), recipient, at('rss.gz.age')]);
    const d = rss(['decode', at('rss.gz.age'), at('identity.txt')]);
    for (const [what, r] of [['encode gzip6+age', e], ['decode', d]] as const) {
      const mb = (r.maxRssKB * 1024) / 1e6;
      line(`codec.stream ${what} ${(r.bytes / MiB).toFixed(0)} MiB peak RSS (${backend})`, `${mb.toFixed(0)} MB`, 'bounded memory', `target <= 128 MB: ${mb <= 128 ? 'met' : 'NOT met'}`);
    }
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
