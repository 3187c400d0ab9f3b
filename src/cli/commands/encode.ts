import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Layer } from '../../core/codec/api';
import { identitiesFromText } from '../../core/codec/age/keys';
import { encodeStream, identityToRecipient } from '../../core/codec/pipeline';
import { input, output, refuseSameFile } from '../io';
import { askPassphrase } from '../passphrase';
import { UsageError, type CliCommand } from './types';

/** Recipients in a file: `age1...` lines; identity lines count as their own recipients. */
function recipientsFromFile(path: string): string[] {
  return identitiesFromText(readFileSync(path, 'utf8')).map((l) => (l.startsWith('AGE-SECRET-KEY-1') ? identityToRecipient(l) : l));
}

export const encode: CliCommand = {
  name: 'encode',
  summary: 'encode [--gzip] [-r RECIPIENT]... [-R FILE]... [-p] [-a] [-o OUT] [IN]   gzip, then age-encrypt',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        gzip: { type: 'boolean', short: 'z' },
        level: { type: 'string' },
        recipient: { type: 'string', short: 'r', multiple: true },
        'recipients-file': { type: 'string', short: 'R', multiple: true },
        passphrase: { type: 'boolean', short: 'p' },
        armor: { type: 'boolean', short: 'a' },
        output: { type: 'string', short: 'o' },
      },
    });
    if (positionals.length > 1) throw new UsageError('encode takes at most one input file');
    refuseSameFile(values.output, [positionals[0], ...(values['recipients-file'] ?? [])]);
    const recipients = [...(values.recipient ?? []), ...(values['recipients-file'] ?? []).flatMap(recipientsFromFile)];
    if (values.passphrase === true && recipients.length > 0) throw new UsageError('use either -p or recipients, not both');
    if (values.armor === true && values.passphrase !== true && recipients.length === 0) throw new UsageError('--armor needs -r, -R or -p');
    let passphrase: string | undefined;
    if (values.passphrase === true) {
      passphrase = await askPassphrase('Enter passphrase: ');
      if (passphrase === undefined || passphrase === '') throw new UsageError('no passphrase given (set STORAGE_INSPECTOR_PASSPHRASE or run in a terminal)');
    }
    const layers: Layer[] = [];
    if (recipients.length > 0 || passphrase !== undefined) layers.push(values.armor === true ? { kind: 'age', armor: true } : { kind: 'age' });
    if (values.gzip === true) layers.push({ kind: 'gzip' });
    if (layers.length === 0) throw new UsageError('nothing to do: give --gzip, -r, -R or -p');
    const level = values.level === undefined ? undefined : /^[1-9]$/.test(values.level) ? Number(values.level) : undefined;
    if (values.level !== undefined && level === undefined) throw new UsageError(`--level takes a gzip level from 1 to 9, not "${values.level}".`);
    await output(encodeStream(input(positionals[0]), layers, { recipients, passphrase, gzipLevel: level }), values.output);
    return 0;
  },
};
