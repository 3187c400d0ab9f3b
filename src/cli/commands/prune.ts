import { parseArgs } from 'node:util';
import { prune as runPrune, type PruneReport } from '../../core/backup/prune';
import { formatBytes } from './diff';
import { openRepo, repoOptions } from './ls';
import type { CliCommand } from './types';

export function printPrune(r: PruneReport, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const verb = r.dryRun ? 'would ' : '';
  process.stdout.write(
    `${r.blobsUsed} blobs in use; ${verb}remove ${r.blobsRemoved} unused blobs\n` +
      `${verb}keep ${r.packsKept} packs, ${verb}repack ${r.packsRepacked}, ${verb}delete ${r.packsDeleted}\n` +
      `${r.dryRun ? 'would free' : 'freed'} ${formatBytes(Math.max(0, r.bytesFreed))}${r.dryRun ? ' (dry run: nothing was changed)' : `; wrote ${r.packsWritten} packs and ${r.indexFilesWritten} index files`}\n`,
  );
}

/** `prune`: remove data no snapshot uses, repacking partly used packs (exclusive lock). */
export const prune: CliCommand = {
  name: 'prune',
  summary: 'prune -r REPO [--password-file F] [--dry-run] [--json]   remove unused data from a restic repository',
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({ args, options: { ...repoOptions, 'dry-run': { type: 'boolean', short: 'n', default: false } } });
    const repo = await openRepo(values);
    printPrune(await runPrune(repo, { dryRun: values['dry-run'] }), values.json);
    return 0;
  },
};
