// Runs the hash/verify subcommands as the CLI would, in a child process, so tests see real stdout and exit codes.
import { hash } from '../../../../src/cli/commands/hash';
import { verify } from '../../../../src/cli/commands/verify';
import { messageOf } from '../../../../src/core/errors';

const [name, ...args] = process.argv.slice(2);
const command = [hash, verify].find((c) => c.name === name);
if (!command) throw new Error(`unknown command ${name}`);
command.run(args).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`${messageOf(e)}\n`);
    process.exitCode = 1;
  },
);
