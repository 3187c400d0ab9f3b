import type { DecodeInfo } from '../../core/codec/api';
import { sniff } from '../../core/local/magic';
import type { Ctx } from '../ctx';
import { codec } from '../lazy';

/** Refuse to open more than VS Code itself syncs for an extension file. */
export const MAX_OPEN_BYTES = 50 * 1024 * 1024;

/** Peels gzip/age if the bytes have them; plain bytes pass through without loading the codec. */
export async function decodeBytes(ctx: Ctx, docKey: string, bytes: Uint8Array): Promise<{ plaintext: Uint8Array; info: DecodeInfo }> {
  if (sniff(bytes.subarray(0, 64)) === 'plain') return { plaintext: bytes, info: { layers: [] } };
  const c = codec();
  if (c.detectLayers(bytes).length === 0) return { plaintext: bytes, info: { layers: [] } };
  const opts = await ctx.keys.decodeOptions(docKey);
  const r = await c.decode(bytes, { ...opts, maxOutputBytes: MAX_OPEN_BYTES });
  return { plaintext: r.plaintext, info: { layers: r.layers, ...(r.identity ? { identity: r.identity } : {}), ...(r.passphrase ? { passphrase: r.passphrase } : {}) } };
}

/** Re-applies the layers the document was read with, to the same keys plus the location's rules. */
export async function encodeBytes(ctx: Ctx, location: string, plaintext: Uint8Array, info: DecodeInfo): Promise<Uint8Array> {
  if (info.layers.length === 0) return plaintext;
  const opts = info.layers.some((l) => l.kind === 'age') ? await ctx.keys.encodeOptions(location, info) : {};
  return codec().encode(plaintext, info.layers, opts);
}

/** A decoding stream for downloads (the codec's decodeStream with the document's keys). */
export async function decodeStreamFor(ctx: Ctx, docKey: string): Promise<(src: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>> {
  const opts = await ctx.keys.decodeOptions(docKey);
  const c = codec();
  return (src) => c.decodeStream(src, opts);
}
