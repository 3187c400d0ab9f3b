import { parseArgs } from 'node:util';
import { findInSnapshots, findMatchJson } from '../../core/backup/find';
import { openRepo, repoOptions } from './ls';
import { UsageError, type CliCommand } from './types';

/** restic's TimeFormat, in local time. */
function localTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `find`: paths matching restic patterns across snapshots (restic find's output, and its --json). */
export const find: CliCommand = {
  name: 'find',
  summary: 'find -r REPO [--password-file F] [-i] [-s SNAPSHOT]... [--json] PATTERN...   find paths across snapshots',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...repoOptions, 'ignore-case': { type: 'boolean', short: 'i', default: false }, snapshot: { type: 'string', short: 's', multiple: true } },
    });
    if (positionals.length === 0) throw new UsageError('name at least one pattern, e.g. "*.sqlite" or /home/me/notes.txt.');
    const repo = await openRepo(values);
    const hits = await findInSnapshots(repo, positionals, { ignoreCase: values['ignore-case'], snapshots: values.snapshot });
    if (values.json) {
      process.stdout.write(JSON.stringify(hits.map((h) => ({ matches: h.matches.map(findMatchJson), hits: h.matches.length, snapshot: h.snapshot.id }))) + '\n');
      return 0;
    }
    const blocks = hits.map((h) => `Found matching entries in snapshot ${h.snapshot.id.slice(0, 8)} from ${localTime(h.snapshot.time)}\n${h.matches.map((m) => m.path + '\n').join('')}`);
    process.stdout.write(blocks.join('\n'));
    return 0;
  },
};
