import { parseArgs } from 'node:util';
import { askPassphrase } from '../passphrase';
import { storageError } from '../../core/errors';
import { backendFor, passwordFromCommand, readPasswordFile } from '../../core/backup/location';
import { nodeJson, snapshotJson, walk } from '../../core/backup/listing';
import type { Backend } from '../../core/backup/backend';
import { Repository } from '../../core/backup/repository';
import { UsageError, type CliCommand } from './types';

/** The flags every repository command takes, in restic's spirit. */
export const repoOptions = {
  repo: { type: 'string', short: 'r' },
  'password-file': { type: 'string' },
  'password-command': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** -r REPO, or RESTIC_REPOSITORY. */
export function repoSpec(values: { repo?: string }): string {
  const spec = values.repo ?? process.env.RESTIC_REPOSITORY;
  if (!spec) throw new UsageError('name the repository with -r REPO (or RESTIC_REPOSITORY).');
  return spec;
}

/**
 * The password from --password-file / RESTIC_PASSWORD_FILE, --password-command /
 * RESTIC_PASSWORD_COMMAND, RESTIC_PASSWORD, or the terminal (asked twice when `confirm`).
 */
export async function readPassword(values: { 'password-file'?: string; 'password-command'?: string }, spec: string, confirm = false): Promise<string> {
  const file = values['password-file'] ?? process.env.RESTIC_PASSWORD_FILE;
  const command = values['password-command'] ?? process.env.RESTIC_PASSWORD_COMMAND;
  if (file) return readPasswordFile(file);
  if (command) return passwordFromCommand(command);
  let password = process.env.RESTIC_PASSWORD;
  if (password === undefined) {
    password = await askPassphrase(`enter password for ${confirm ? 'new ' : ''}repository ${spec}: `);
    if (password && confirm && (await askPassphrase('enter password again: ')) !== password) throw storageError('BadInput', 'the two passwords differ; nothing was created. Try again.');
  }
  if (!password) throw storageError('BadInput', 'no password: pass --password-file, or set RESTIC_PASSWORD_FILE.');
  return password;
}

/**
 * Opens -r REPO with the password from the usual places (see readPassword). `meanwhile` is given
 * the backend before the key is derived, for work that needs no key (backup's walk ahead).
 */
export async function openRepo(values: { repo?: string; 'password-file'?: string; 'password-command'?: string }, meanwhile?: (backend: Backend) => void): Promise<Repository> {
  const spec = repoSpec(values);
  const backend = backendFor(spec);
  meanwhile?.(backend);
  return Repository.open(backend, await readPassword(values, spec));
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
