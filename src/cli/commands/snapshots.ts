import { parseArgs } from 'node:util';
import { snapshotJson } from '../../core/backup/listing';
import { openRepo, repoOptions } from './ls';
import type { CliCommand } from './types';

/** `snapshots`: restic's `snapshots` (with --json, the same JSON array restic prints). */
export const snapshots: CliCommand = {
  name: 'snapshots',
  summary: 'snapshots -r REPO [--password-file F] [--json]   list a restic repository\'s snapshots',
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({ args, options: repoOptions });
    const repo = await openRepo(values);
    const list = await repo.snapshots();
    if (values.json) {
      process.stdout.write(JSON.stringify(list.map(snapshotJson)) + '\n');
      return 0;
    }
    for (const s of list) {
      process.stdout.write(`${s.id.slice(0, 8)}  ${s.time.slice(0, 19).replace('T', ' ')}  ${s.hostname ?? ''}  ${(s.tags ?? []).join(',')}  ${s.paths.join(', ')}\n`);
    }
    process.stdout.write(`${list.length} snapshots\n`);
    return 0;
  },
};
