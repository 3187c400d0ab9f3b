import { parseArgs } from 'node:util';
import { diffSnapshots, type DiffCounts } from '../../core/backup/diff';
import { openRepo, repoOptions } from './ls';
import { UsageError, type CliCommand } from './types';

/** restic's byte figures: three decimals in the largest binary unit the count exceeds. */
export function formatBytes(n: number): string {
  const units: [number, string][] = [[2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];
  for (const [size, unit] of units) if (n > size) return `${(n / size).toFixed(3)} ${unit}`;
  return `${n} B`;
}

function countsJson(c: DiffCounts): Record<string, number> {
  return { files: c.files, dirs: c.dirs, others: c.others, data_blobs: c.dataBlobs, tree_blobs: c.treeBlobs, bytes: c.bytes };
}

const pad = (n: number) => String(n).padStart(5);

/** `diff`: what changed between two snapshots, in restic diff's words (and its --json lines). */
export const diff: CliCommand = {
  name: 'diff',
  summary: 'diff -r REPO [--password-file F] [--metadata] [--json] SNAPSHOT-A SNAPSHOT-B   what changed between two snapshots',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...repoOptions, metadata: { type: 'boolean', default: false } } });
    if (positionals.length !== 2) throw new UsageError('name two snapshots (ids, prefixes or latest).');
    const repo = await openRepo(values);
    const r = await diffSnapshots(repo, positionals[0]!, positionals[1]!, { metadata: values.metadata });
    // restic names the snapshots as they were given on the command line
    const [a, b] = positionals as [string, string];
    let out = '';
    if (values.json) {
      for (const c of r.changes) out += JSON.stringify({ message_type: 'change', path: c.path, modifier: c.modifier }) + '\n';
      out += JSON.stringify({ message_type: 'statistics', source_snapshot: a, target_snapshot: b, changed_files: r.changedFiles, added: countsJson(r.added), removed: countsJson(r.removed) }) + '\n';
    } else {
      out += `comparing snapshot ${r.source.id.slice(0, 8)} to ${r.target.id.slice(0, 8)}:\n\n`;
      for (const c of r.changes) out += `${c.modifier.padEnd(5)}${c.path}\n`;
      out += `\nFiles:       ${pad(r.added.files)} new, ${pad(r.removed.files)} removed, ${pad(r.changedFiles)} changed\n`;
      out += `Dirs:        ${pad(r.added.dirs)} new, ${pad(r.removed.dirs)} removed\n`;
      out += `Others:      ${pad(r.added.others)} new, ${pad(r.removed.others)} removed\n`;
      out += `Data Blobs:  ${pad(r.added.dataBlobs)} new, ${pad(r.removed.dataBlobs)} removed\n`;
      out += `Tree Blobs:  ${pad(r.added.treeBlobs)} new, ${pad(r.removed.treeBlobs)} removed\n`;
      out += `  Added:   ${formatBytes(r.added.bytes).padEnd(5)}\n  Removed: ${formatBytes(r.removed.bytes).padEnd(5)}\n`;
    }
    process.stdout.write(out);
    return 0;
  },
};
