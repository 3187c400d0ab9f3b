import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { identitiesFromText } from '../../core/codec/age/keys';
import { decodeStream } from '../../core/codec/pipeline';
import { input, output, refuseSameFile } from '../io';
import { askPassphrase } from '../passphrase';
import { UsageError, type CliCommand } from './types';

export const decode: CliCommand = {
  name: 'decode',
  summary: 'decode [-i IDENTITY_FILE]... [-o OUT] [IN]   peel age (binary or armored) and gzip layers',
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
    const maxLogN = values['max-scrypt-log-n'];
    await output(
      decodeStream(input(positionals[0]), {
        identities,
        passphrase: () => askPassphrase('Enter passphrase: '),
        maxScryptLogN: maxLogN === undefined ? undefined : Number(maxLogN),
      }),
      values.output,
    );
    return 0;
  },
};
