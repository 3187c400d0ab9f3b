import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { identitiesFromText } from '../../core/codec/age/keys';
import { DEFAULT_MAX_LOG_N, MAX_LOG_N } from '../../core/codec/age/scrypt';
import { decodeStream } from '../../core/codec/pipeline';
import { input, output, refuseSameFile } from '../io';
import { askPassphrase } from '../passphrase';
import { UsageError, type CliCommand } from './types';

/** The limit as age takes it: a plain decimal from 1 to 30, nothing else (not "abc", "-1", "1.5", "0x14"). */
export function parseLogN(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^[0-9]{1,2}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_LOG_N)) {
    throw new UsageError(`--max-scrypt-log-n takes a whole number from 1 to ${MAX_LOG_N} (log2 of the scrypt work factor; the default is ${DEFAULT_MAX_LOG_N}), not "${text}".`);
  }
  return n;
}

export const decode: CliCommand = {
  name: 'decode',
  summary: `decode [-i IDENTITY_FILE]... [--max-scrypt-log-n N] [-o OUT] [IN]   peel age (binary or armored) and gzip layers (scrypt up to 2^${DEFAULT_MAX_LOG_N} unless N says)`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        identity: { type: 'string', short: 'i', multiple: true },
        output: { type: 'string', short: 'o' },
        'max-scrypt-log-n': { type: 'string' },
      },
    });
    if (positionals.length > 1) throw new UsageError('decode takes at most one input file');
    refuseSameFile(values.output, [positionals[0], ...(values.identity ?? [])]);
    const identities = (values.identity ?? []).flatMap((f) => identitiesFromText(readFileSync(f, 'utf8')));
    const maxLogN = parseLogN(values['max-scrypt-log-n']);
    await output(
      decodeStream(input(positionals[0]), {
        identities,
        passphrase: () => askPassphrase('Enter passphrase: '),
        maxScryptLogN: maxLogN,
      }),
      values.output,
    );
    return 0;
  },
};
