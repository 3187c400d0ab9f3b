import { basename, join } from 'node:path';
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyManifest, type ManifestAlgorithm } from '../../core/checksum/manifest';
import { storageError } from '../../core/errors';
import { UsageError, type CliCommand } from './types';

const LABEL = { ok: 'OK', changed: 'FAILED', missing: 'MISSING', new: 'NEW (not in the manifest)' } as const;

/**
 * `verify`: checks a SHA256SUMS/B3SUMS (ours or the tools') against its folder, like
 * `sha256sum -c`, and also names files the manifest does not list. Exit 1 unless all are OK.
 */
export const verify: CliCommand = {
  name: 'verify',
  summary: 'verify [-a sha256|blake3] [--quiet] MANIFEST|DIR   check a SHA256SUMS/B3SUMS: OK, FAILED, MISSING, NEW',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { algorithm: { type: 'string', short: 'a' }, quiet: { type: 'boolean', short: 'q', default: false } },
    });
    const target = positionals[0];
    if (positionals.length !== 1 || target === undefined) throw new UsageError('verify takes one manifest file or one folder holding SHA256SUMS or B3SUMS.');
    const manifest = statSync(target, { throwIfNoEntry: false })?.isDirectory() ? findIn(target) : target;
    const algorithm = pickAlgorithm(values.algorithm, manifest);
    const results = await verifyManifest(manifest, algorithm);
    for (const r of results) {
      if (values.quiet && r.status === 'ok') continue;
      process.stdout.write(`${JSON.stringify(r.name).slice(1, -1)}: ${LABEL[r.status]}\n`);
    }
    const bad = results.filter((r) => r.status !== 'ok');
    if (bad.length > 0) process.stderr.write(`verify: ${bad.length} of ${results.length} entries are not OK\n`);
    return bad.length === 0 ? 0 : 1;
  },
};

function findIn(dir: string): string {
  for (const name of ['SHA256SUMS', 'B3SUMS']) {
    if (statSync(join(dir, name), { throwIfNoEntry: false })?.isFile()) return join(dir, name);
  }
  throw storageError('NotFound', `${dir} has no SHA256SUMS or B3SUMS. Write one with "hash --manifest ${dir}".`);
}

function pickAlgorithm(given: string | undefined, manifest: string): ManifestAlgorithm {
  if (given === 'sha256' || given === 'blake3') return given;
  if (given !== undefined) throw storageError('BadInput', `-a: "${given}" cannot check a manifest. Use sha256 or blake3.`);
  return basename(manifest).toUpperCase().startsWith('B3') ? 'blake3' : 'sha256';
}
