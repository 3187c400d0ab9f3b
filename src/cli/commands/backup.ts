import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { backup as runBackup } from '../../core/backup/backup';
import { Prewalk } from '../../core/backup/prewalk';
import type { Backend } from '../../core/backup/backend';
import { openRepo, repoOptions } from './ls';
import { UsageError, type CliCommand } from './types';

/** `backup`: restic-compatible snapshots of files and folders (chunked with the repository's polynomial). */
export const backup: CliCommand = {
  name: 'backup',
  summary: 'backup -r REPO [--password-file F] [--host H] [--tag T]... [--compression auto|off] [--json] PATH...   back up into a restic repository',
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...repoOptions, host: { type: 'string' }, tag: { type: 'string', multiple: true }, parent: { type: 'string' }, compression: { type: 'string', default: 'auto' } },
    });
    if (positionals.length === 0) throw new UsageError('name the files or folders to back up.');
    const compression = values.compression;
    if (compression !== 'auto' && compression !== 'off' && compression !== 'max') throw new UsageError(`--compression ${compression}: use auto, off or max.`);
    // The folders are walked while scrypt derives the key on the thread pool, this thread being
    // free; only when the repository has a snapshot, which may be the parent: with none, every
    // file is read, and the nodes the walk kept would only hold memory (40-60 MB more peak RSS
    // in a first backup of the 1 GiB bench tree, measured).
    let prewalk: Prewalk | undefined;
    let looking: Promise<void> = Promise.resolve();
    const startWalk = (backend: Backend) => {
      looking = backend.list('snapshots').then((l) => {
        if (l.length > 0) prewalk = Prewalk.start(positionals.map((p) => resolve(p)));
      }, () => undefined);
    };
    let repo;
    try {
      repo = await openRepo(values, startWalk);
    } catch (e) {
      await looking;
      prewalk?.stop();
      throw e;
    }
    await looking;
    const ac = new AbortController();
    const stop = () => ac.abort();
    process.once('SIGINT', stop);
    try {
      const r = await runBackup(repo, { paths: positionals, host: values.host, tags: values.tag, parent: values.parent, compression, signal: ac.signal, prewalk });
      for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
      if (values.json) {
        process.stdout.write(JSON.stringify({ message_type: 'summary', files_new: r.files - r.filesUnchanged, files_unmodified: r.filesUnchanged, dirs: r.dirs, bytes_read: r.bytesRead, data_added: r.bytesAdded, snapshot_id: r.snapshotId, parent: r.parent ?? null }) + '\n');
      } else {
        process.stdout.write(`snapshot ${r.snapshotId.slice(0, 8)} saved: ${r.files} files (${r.filesUnchanged} unchanged), ${r.bytesRead} bytes read, ${r.bytesAdded} bytes added\n`);
      }
      return r.warnings.length > 0 ? 3 : 0;
    } finally {
      process.off('SIGINT', stop);
    }
  },
};
