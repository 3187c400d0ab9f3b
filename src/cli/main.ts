// `storage-inspector`: the same core as the extension, for scripts and recovery without an editor.
import { isStorageError, messageOf } from '../core/errors';
import { commands } from './commands';
import { UsageError } from './commands/types';

const NAME = 'storage-inspector';

function usage(): string {
  return [`usage: ${NAME} <command> [options]`, '', ...commands.map((c) => `  ${c.summary}`), ''].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  // Backups and restores keep dozens of lstat/read/fsync calls in flight; libuv's default of 4
  // threads would queue them. Read when the pool first starts, so set before any file work.
  process.env.UV_THREADPOOL_SIZE ??= '16';
  const [name, ...args] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    process.stderr.write(`${NAME}: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(args);
  } catch (e) {
    // A reader that stopped early (`| head`) is not a failure of ours.
    if ((e as { code?: unknown }).code === 'EPIPE') return 0;
    const usageError = e instanceof UsageError || String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`${NAME} ${name}: ${messageOf(e)}\n${usageError ? usage() : ''}`);
    if (usageError) return 2;
    return isStorageError(e) ? 1 : 3;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
