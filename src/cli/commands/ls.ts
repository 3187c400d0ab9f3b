import { parseArgs } from 'node:util';
import { askPassphrase } from '../passphrase';
import { storageError } from '../../core/errors';
import { backendFor, passwordFromCommand, readPasswordFile } from '../../core/backup/location';
import { nodeJson, snapshotJson, walk } from '../../core/backup/listing';
import { Repository } from '../../core/backup/repository';
import { UsageError, type CliCommand } from './types';

/** The flags every repository command takes, in restic's spirit. */
export const repoOptions = {
  repo: { type: 'string', short: 'r' },
  'password-file': { type: 'string' },
  'password-command': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/**
 * Opens -r REPO (or RESTIC_REPOSITORY) with the password from --password-file / RESTIC_PASSWORD_FILE,
 * --password-command / RESTIC_PASSWORD_COMMAND, RESTIC_PASSWORD, or the terminal.
 */
export async function openRepo(values: { repo?: string; 'password-file'?: string; 'password-command'?: string }): Promise<Repository> {
  const spec = values.repo ?? process.env.RESTIC_REPOSITORY;
  if (!spec) throw new UsageError('name the repository with -r REPO (or RESTIC_REPOSITORY).');
  const file = values['password-file'] ?? process.env.RESTIC_PASSWORD_FILE;
  const command = values['password-command'] ?? process.env.RESTIC_PASSWORD_COMMAND;
  const password = file
    ? await readPasswordFile(file)
    : command
      ? await passwordFromCommand(command)
      : (process.env.RESTIC_PASSWORD ?? (await askPassphrase(`enter password for repository ${spec}: `)));
  if (!password) throw storageError('BadInput', 'no password: pass --password-file, or set RESTIC_PASSWORD_FILE.');
  return Repository.open(backendFor(spec), password);
}

/** Waits for stdout, so a reader that went away (`| head`) surfaces as EPIPE to main, not as a crash. */
function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    process.stdout.once('error', onError);
    process.stdout.write(text, (e) => {
      process.stdout.off('error', onError);
      if (e) reject(e);
      else resolve();
    });
  });
}

/** `ls`: restic's `ls` (with --json, restic's JSON lines: the snapshot, then one line per node). */
export const ls: CliCommand = {
  name: 'ls',
  summary: 'ls -r REPO [--password-file F] [--json] SNAPSHOT|latest [PATH]   list a snapshot\'s files',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: repoOptions });
    const [ref, under] = positionals;
    if (!ref) throw new UsageError('name a snapshot (an id, a prefix, or latest).');
    const repo = await openRepo(values);
    const snap = await repo.findSnapshot(ref);
    const prefix = under ? under.replace(/\/+$/, '') : undefined;
    let out = values.json ? JSON.stringify({ ...snapshotJson(snap), struct_type: 'snapshot' }) + '\n' : '';
    for await (const e of walk(repo, snap.tree)) {
      if (prefix && e.path !== prefix && !e.path.startsWith(prefix + '/')) continue;
      out += values.json ? JSON.stringify(nodeJson(e.node, e.path)) + '\n' : `${e.path}\n`;
      if (out.length > 64 * 1024) {
        await write(out);
        out = '';
      }
    }
    await write(out);
    return 0;
  },
};
