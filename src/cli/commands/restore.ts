import { parseArgs } from 'node:util';
import { restore as restoreSnapshot } from '../../core/backup/restore';
import { openRepo, repoOptions } from './ls';
import { UsageError, type CliCommand } from './types';

/** `restore`: a snapshot, or one file or folder of it (--path), into --target; never overwrites unless --overwrite. */
export const restore: CliCommand = {
  name: 'restore',
  summary: 'restore -r REPO [--password-file F] SNAPSHOT|latest --target DIR [--path P] [--overwrite] [--json]   restore files, verified',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...repoOptions, target: { type: 'string', short: 't' }, path: { type: 'string' }, overwrite: { type: 'boolean', default: false } },
    });
    const [ref] = positionals;
    if (!ref || !values.target) throw new UsageError('restore needs a snapshot and --target DIR.');
    const repo = await openRepo(values);
    const p = await restoreSnapshot(repo, ref, { target: values.target, path: values.path, overwrite: values.overwrite });
    process.stdout.write(values.json ? JSON.stringify({ message_type: 'summary', files_restored: p.files, bytes_restored: p.bytes }) + '\n' : `restored ${p.files} files, ${p.bytes} bytes to ${values.target}\n`);
    return 0;
  },
};
