import { parseArgs } from 'node:util';
import { checkAlgorithm } from '../../core/checksum/algorithms';
import { hashFile, hashStream } from '../../core/checksum/hashFile';
import { writeManifest } from '../../core/checksum/manifest';
import { formatLine } from '../../core/checksum/manifestFormat';
import { storageError } from '../../core/errors';
import { UsageError, type CliCommand } from './types';

/**
 * `hash`: prints `<hex>  <name>` lines (the sha256sum format, names escaped the same way), or
 * with --manifest writes DIR/SHA256SUMS (or B3SUMS) that `sha256sum -c` / `b3sum -c` accept.
 */
export const hash: CliCommand = {
  name: 'hash',
  summary: 'hash [-a ALG] FILE...|-  |  hash [-a sha256|blake3] --manifest DIR   checksums (sha256 sha1 md5 crc32 crc32c blake3 xxh3)',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { algorithm: { type: 'string', short: 'a', default: 'sha256' }, manifest: { type: 'boolean', default: false } },
    });
    const algorithm = checkAlgorithm(values.algorithm);
    if (values.manifest) {
      if (algorithm !== 'sha256' && algorithm !== 'blake3') throw storageError('BadInput', '--manifest: manifests are sha256 (SHA256SUMS) or blake3 (B3SUMS). Pass -a sha256 or -a blake3.');
      if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError('--manifest takes exactly one folder.');
      const { path, entries } = await writeManifest(positionals[0], algorithm);
      process.stdout.write(`${path}: ${entries.length} files\n`);
      return 0;
    }
    const names = positionals.length > 0 ? positionals : ['-'];
    for (const name of names) {
      const hex = name === '-' ? await hashStream(process.stdin, algorithm) : await hashFile(name, algorithm);
      process.stdout.write(formatLine({ hex, name }, algorithm === 'blake3' ? 'b3sum' : 'coreutils'));
    }
    return 0;
  },
};
