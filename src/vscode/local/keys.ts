import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { DecodeInfo, EncodeOptions } from '../../core/codec/api';
import type { Ctx } from '../ctx';
import { codecApi } from './pipeline';

/**
 * Where the Local view gets age keys. The codec area's KeyService owns identities; until it
 * is on the Ctx, identities come from the file named by STORAGE_INSPECTOR_IMPORT_IDENTITY
 * (what the demo sets) and from SecretStorage under IDENTITIES_SECRET.
 */
export const IDENTITIES_SECRET = 'storageInspector.identities';

interface KeyServiceLike {
  identities(): Promise<string[]>;
  encodeOptions?(location: string, info: DecodeInfo): Promise<EncodeOptions>;
}

function keyService(ctx: Ctx): KeyServiceLike | undefined {
  const ks = (ctx as unknown as { keys?: KeyServiceLike }).keys;
  return ks && typeof ks.identities === 'function' ? ks : undefined;
}

export async function identities(ctx: Ctx): Promise<string[]> {
  const ks = keyService(ctx);
  if (ks) return ks.identities();
  const out: string[] = [];
  const file = process.env.STORAGE_INSPECTOR_IMPORT_IDENTITY;
  if (file) {
    const text = await readFile(file, 'utf8').catch(() => '');
    out.push(...text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('AGE-SECRET-KEY-1')));
  }
  const stored = await ctx.secrets.get(IDENTITIES_SECRET);
  if (stored) {
    try {
      const list = JSON.parse(stored) as unknown;
      if (Array.isArray(list)) out.push(...list.filter((x): x is string => typeof x === 'string'));
    } catch {
      ctx.log.warn('The stored identity list is not valid JSON; it was ignored.');
    }
  }
  return [...new Set(out)];
}

/** Asks for a passphrase once; the answer lives only in the document's DecodeInfo. */
export function askPassphrase(what: string): () => Promise<string | undefined> {
  return async () => vscode.window.showInputBox({ password: true, ignoreFocusOut: true, prompt: `Passphrase for ${what}` });
}

/** The same layers to the same keys: the identity that decrypted it (as a recipient), or its passphrase. */
export async function encodeOptionsFor(ctx: Ctx, location: string, info: DecodeInfo, extraRecipients: readonly string[] = []): Promise<EncodeOptions> {
  const ks = keyService(ctx);
  if (ks?.encodeOptions) return ks.encodeOptions(location, info);
  if (info.passphrase !== undefined) return { passphrase: info.passphrase };
  const recipients = new Set(extraRecipients);
  if (info.identity) recipients.add((await codecApi()).identityToRecipient(info.identity));
  return { recipients: [...recipients] };
}
