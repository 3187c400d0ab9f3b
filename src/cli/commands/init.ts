import { parseArgs } from 'node:util';
import { initRepository } from '../../core/backup/init';
import { backendFor } from '../../core/backup/location';
import { readPassword, repoOptions, repoSpec } from './ls';
import { UsageError, type CliCommand } from './types';

/** `init`: a new restic repository (version 2 unless --repository-version 1). */
export const init: CliCommand = {
  name: 'init',
  summary: 'init -r REPO [--password-file F] [--repository-version 1|2] [--json]   create a restic repository',
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({ args, options: { ...repoOptions, 'repository-version': { type: 'string', default: '2' } } });
    const v = values['repository-version'];
    if (v !== '1' && v !== '2' && v !== 'latest') throw new UsageError(`--repository-version ${v}: use 1 or 2.`);
    const spec = repoSpec(values);
    const backend = backendFor(spec);
    const repo = await initRepository(backend, await readPassword(values, spec, true), { version: v === '1' ? 1 : 2 });
    if (values.json) process.stdout.write(JSON.stringify({ message_type: 'initialized', id: repo.config.id, repository: backend.label }) + '\n');
    else process.stdout.write(`created restic repository ${repo.config.id.slice(0, 10)} at ${backend.label} (version ${repo.config.version})\n\nPlease note that knowledge of your password is required to access\nthe repository. Losing your password means that your data is lost.\n`);
    return 0;
  },
};
