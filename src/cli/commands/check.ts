import { parseArgs } from 'node:util';
import { storageError } from '../../core/errors';
import { check as runCheck } from '../../core/backup/check';
import { openRepo, repoOptions } from './ls';
import type { CliCommand } from './types';

function parseSubset(s: string | undefined): { n: number; of: number } | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const n = Number(m?.[1]);
  const of = Number(m?.[2]);
  if (!m || n < 1 || of < 1 || n > of) throw storageError('BadInput', `--read-data-subset ${s}: use n/t with 1 <= n <= t, e.g. 1/5.`);
  return { n, of };
}

/** `check`: structure, and with --read-data every blob; exit 1 and the affected files when damaged. Read-only. */
export const check: CliCommand = {
  name: 'check',
  summary: 'check -r REPO [--password-file F] [--read-data] [--read-data-subset n/t] [--json]   verify a restic repository (read-only)',
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({ args, options: { ...repoOptions, 'read-data': { type: 'boolean', default: false }, 'read-data-subset': { type: 'string' } } });
    const subset = parseSubset(values['read-data-subset']);
    const repo = await openRepo(values);
    const r = await runCheck(repo, { readData: values['read-data'] || subset !== undefined, subset });
    if (values.json) {
      process.stdout.write(JSON.stringify(r) + '\n');
    } else {
      for (const p of r.problems) process.stdout.write(`error: ${p.message}\n`);
      for (const a of r.affected) for (const path of a.paths) process.stdout.write(`damaged: snapshot ${a.snapshot.slice(0, 8)} ${path}\n`);
      if (r.unreferencedPacks.length) process.stdout.write(`${r.unreferencedPacks.length} packs are in no index (left by an interrupted backup); harmless.\n`);
      process.stdout.write(r.ok ? `no errors were found (${r.packsRead} packs, ${r.blobsChecked} blobs read)\n` : `${r.problems.length} problems found\n`);
    }
    return r.ok ? 0 : 1;
  },
};
