import type { DecodeInfo } from '../../core/codec/api';
import { cancelled, isStorageError } from '../../core/errors';
import { checkSize, formatBytes } from '../../core/local/limits';
import { sniff } from '../../core/local/magic';
import { layersFromName } from '../../core/names';
import type { Ctx } from '../ctx';
import { codec } from '../lazy';
import { confirm, type Answers } from '../prompts';
import { MB, readSetting } from '../settings';

/**
 * The one document codec behind storage-local:// and storage-s3://: it decides whether bytes
 * have layers, peels them with the key service, and re-applies them on save. A document is
 * named by its URI without the query (`docKey`), so a passphrase is asked once per document.
 */

export interface Decoded {
  plaintext: Uint8Array;
  info: DecodeInfo;
}

/** The name a passphrase and a remembered decode belong to: the URI without `?versionId=`. */
export function documentKey(uri: { scheme: string; authority: string; path: string }): string {
  return `${uri.scheme}://${uri.authority}${uri.path}`;
}

/** The one rule for "does this file have gzip/age layers": its name says so, or its first bytes do. */
export function hasLayers(name: string, head: Uint8Array): boolean {
  return layersFromName(name).length > 0 || sniff(head.subarray(0, 64)) !== 'plain';
}

/** The most an editor tab may hold, encoded or decoded (`documents.maxOpenMB`). */
export function maxOpenBytes(): number {
  return Math.round(readSetting('documents.maxOpenMB') * MB);
}

/**
 * Before a document opens in a tab: refuses above `documents.maxOpenMB`, asks above
 * `documents.askAboveMB` (`answers.confirm` answers), else passes.
 */
export async function checkOpenSize(size: number, name: string, answers: Answers = {}): Promise<void> {
  checkSize(size, maxOpenBytes(), name);
  if (size <= readSetting('documents.askAboveMB') * MB) return;
  const ok = await confirm(`${name} is ${formatBytes(size)}, and may be more once decoded. Open it in an editor anyway?`, 'Open', answers);
  if (!ok) throw cancelled(`Opening ${name}`);
}

/** Peels the layers the bytes have; plain bytes pass through without loading the codec bundle. */
export async function decodeDocument(ctx: Ctx, docKey: string, name: string, bytes: Uint8Array): Promise<Decoded> {
  if (!hasLayers(name, bytes)) return { plaintext: bytes, info: { layers: [] } };
  const max = maxOpenBytes();
  try {
    const { plaintext, ...info } = await codec().decode(bytes, { ...(await ctx.keys.decodeOptions(docKey)), maxOutputBytes: max });
    checkSize(plaintext.length, max, `${name} decoded`);
    return { plaintext, info };
  } catch (e) {
    // A wrong passphrase must be asked again next time, not replayed.
    if (isStorageError(e) && e.code === 'WrongKey') ctx.keys.forget(docKey);
    throw e;
  }
}

/** Re-applies the layers a document was read with, to the same keys plus the location's rules. */
export async function encodeDocument(ctx: Ctx, location: string, plaintext: Uint8Array, info: DecodeInfo): Promise<Uint8Array> {
  if (info.layers.length === 0) return plaintext;
  const opts = info.layers.some((l) => l.kind === 'age') ? await ctx.keys.encodeOptions(location, info) : {};
  return codec().encode(plaintext, info.layers, opts);
}

/** What a save writes when nothing was read first: the layers the name asks for. */
export function layersForNew(name: string): DecodeInfo {
  return { layers: layersFromName(name) };
}

/** A decoding stream for downloads and transforms, with the document's keys; no size bound of its own. */
export async function decodeStreamFor(ctx: Ctx, docKey: string, maxOutputBytes?: number): Promise<(src: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>> {
  const opts = { ...(await ctx.keys.decodeOptions(docKey)), ...(maxOutputBytes !== undefined ? { maxOutputBytes } : {}) };
  const c = codec();
  return (src) => c.decodeStream(src, opts);
}
