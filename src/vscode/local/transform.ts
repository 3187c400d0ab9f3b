import { createReadStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Layer } from '../../core/codec/api';
import { isStorageError, storageError } from '../../core/errors';
import { statPath } from '../../core/local/entry';
import { sniff } from '../../core/local/magic';
import { readHead } from '../../core/local/read';
import { transformedName, writeBeside, type TransformOp } from '../../core/local/transform';
import type { Ctx } from '../ctx';
import { codec } from '../lazy';
import { documentKey, maxOpenBytes } from '../fs/documentCodec';
import { input, pick } from '../prompts';
import { tellChanged } from './feedback';

export interface TransformOptions {
  /** age recipients for Encrypt (`age1...`); asked when absent. */
  recipients?: string[];
  /** Encrypt with scrypt instead of recipients. */
  passphrase?: string;
  /** Encrypt: gzip first (`.gz.age`). Asked when absent. */
  compress?: boolean;
  /** Delete the original after the new file is read back and verified. Asked when absent. */
  deleteOriginal?: boolean;
}

const read = (path: string): AsyncIterable<Uint8Array> => createReadStream(path, { highWaterMark: 1 << 20 });

/**
 * Encrypt, Decrypt, Compress or Decompress a file into a new one beside it, streaming, and
 * delete the original only when asked and only once the new file decodes back to the same bytes.
 */
export async function transformFile(ctx: Ctx, op: TransformOp, path: string, options: TransformOptions = {}): Promise<{ path: string; deleted: boolean } | undefined> {
  const entry = await statPath(path);
  if (entry.kind !== 'file') throw storageError('BadInput', `${path} is not a file. Pick a file.`);
  const api = codec();
  const name = basename(path);
  const outer = sniff(await readHead(path));
  const ids = await ctx.keys.identities();
  // Transforms stream, so they are not bound by the editor's size limit; the output bound is the codec's.
  const maxOutputBytes = Math.max(maxOpenBytes(), api.DEFAULT_MAX_OUTPUT_BYTES, entry.size * 1100);
  const decodeOpts = { ...(await ctx.keys.decodeOptions(documentKey(vscode.Uri.file(path)))), maxOutputBytes };
  const hashOf = (input: AsyncIterable<Uint8Array>) => api.hashStream(input, 'sha256');

  let layers: Layer[] = [];
  let encodeOpts = {};
  if (op === 'encrypt' || op === 'compress') {
    if (op === 'encrypt') {
      const recipients = options.passphrase ? [] : (options.recipients ?? (await askRecipients([...new Set([...ctx.keys.recipientsFor(path), ...ids.map((i) => api.identityToRecipient(i))])])));
      if (!recipients) return undefined;
      if (!options.passphrase && recipients.length === 0) throw storageError('BadInput', 'recipients: Encrypt needs at least one age1... recipient.');
      const compress = options.compress ?? (await askYesNo('Compress before encrypting (.gz.age)?', 'Compress and encrypt', 'Encrypt only'));
      if (compress === undefined) return undefined;
      layers = compress ? [{ kind: 'age' }, { kind: 'gzip' }] : [{ kind: 'age' }];
      encodeOpts = options.passphrase ? { passphrase: options.passphrase } : { recipients };
    } else {
      layers = [{ kind: 'gzip' }];
    }
  } else {
    const want = op === 'decrypt' ? ['age', 'age-armor'] : ['gzip'];
    if (!want.includes(outer)) {
      throw storageError('BadInput', `${name} is not ${op === 'decrypt' ? 'age-encrypted' : 'gzip-compressed'} (checked its first bytes), so there is nothing to ${op}.`);
    }
  }
  const deleteOriginal = options.deleteOriginal ?? (await askYesNo(`Delete ${name} once the new file is verified?`, 'Delete original', 'Keep original'));
  if (deleteOriginal === undefined) return undefined;
  const dest = join(dirname(path), transformedName(name, op, layers.length === 2));
  const data = layers.length > 0 ? api.encodeStream(read(path), layers, encodeOpts) : api.decodeStream(read(path), decodeOpts);

  const verify = async (written: string): Promise<boolean> => {
    if (layers.length > 0) {
      try {
        return (await hashOf(api.decodeStream(read(written), decodeOpts))) === (await hashOf(read(path)));
      } catch (e) {
        // Encrypted to someone else: it cannot be read back here, so it may be kept but not swapped in.
        if (isStorageError(e) && e.code === 'WrongKey' && !deleteOriginal) return true;
        throw e;
      }
    }
    return (await hashOf(read(written))) === (await hashOf(api.decodeStream(read(path), decodeOpts)));
  };
  const result = await writeBeside(path, dest, data, verify, { deleteOriginal });
  tellChanged(ctx, `Wrote ${basename(result.path)} (${op === 'encrypt' ? 'encrypted' : op === 'decrypt' ? 'decrypted' : op === 'compress' ? 'compressed' : 'decompressed'} from ${name})${result.deleted ? ` and deleted ${name}` : `; ${name} is kept`}.`, { open: result.path, reveal: result.path });
  return result;
}

async function askRecipients(own: string[]): Promise<string[] | undefined> {
  const answer = await input({
    title: 'Encrypt to age recipients',
    prompt: 'One or more age1... recipients, separated by spaces or commas',
    value: own.join(', '),
    validateInput: (v) => (v.split(/[\s,]+/).filter(Boolean).every((r) => r.startsWith('age1')) ? undefined : 'Each recipient starts with age1'),
  });
  return answer === undefined ? undefined : answer.split(/[\s,]+/).filter(Boolean);
}

async function askYesNo(title: string, yes: string, no: string): Promise<boolean | undefined> {
  const picked = await pick([yes, no], { title });
  return picked === undefined ? undefined : picked === yes;
}
