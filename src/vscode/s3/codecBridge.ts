import type { DecodeInfo, DecodeOptions, DecodeResult, EncodeOptions, Layer } from '../../core/codec/api';
import { storageError } from '../../core/errors';
import type { Ctx } from '../ctx';
import { codec } from '../lazy';

/** The part of the KeyService (src/vscode/keys) that S3 documents use. */
export interface DocKeys {
  decodeOptions(docKey: string): Promise<DecodeOptions>;
  encodeOptions(location: string, info: DecodeInfo): Promise<EncodeOptions>;
}

/** The pipeline contract (common.md), typed here so this compiles before the codec bundle lands. */
interface CodecApi {
  detectLayers(bytes: Uint8Array): Layer[];
  decode(bytes: Uint8Array, opts: DecodeOptions): Promise<DecodeResult>;
  encode(plaintext: Uint8Array, layers: readonly Layer[], opts: EncodeOptions): Promise<Uint8Array>;
  decodeStream(input: AsyncIterable<Uint8Array>, opts: DecodeOptions): AsyncIterable<Uint8Array>;
}
const api = (): CodecApi => codec() as unknown as CodecApi;

/** Refuse to open more than VS Code itself syncs for an extension file. */
export const MAX_OPEN_BYTES = 50 * 1024 * 1024;

function keys(ctx: Ctx): DocKeys {
  const k = (ctx as unknown as { keys?: DocKeys }).keys;
  if (k) return k;
  // Before the KeyService is wired in: plain and gzip files work, age asks for keys.
  return {
    decodeOptions: () => Promise.resolve({ identities: [] }),
    encodeOptions: () => Promise.reject(storageError('WrongKey', 'No age keys are set up yet. Import an identity with "Storage: Import age Identity" first.')),
  };
}

/** Layers a new object gets from its name: `x.json.gz.age` is age outside gzip. */
export function layersFromName(name: string): Layer[] {
  const layers: Layer[] = [];
  let rest = name;
  for (;;) {
    if (rest.endsWith('.age')) layers.push({ kind: 'age' });
    else if (rest.endsWith('.gz')) layers.push({ kind: 'gzip' });
    else return layers;
    rest = rest.slice(0, rest.lastIndexOf('.'));
  }
}

/** Peels gzip/age if the bytes have them; plain bytes pass through without loading the codec. */
export async function decodeBytes(ctx: Ctx, docKey: string, bytes: Uint8Array): Promise<{ plaintext: Uint8Array; info: DecodeInfo }> {
  if (!looksEncoded(bytes)) return { plaintext: bytes, info: { layers: [] } };
  const c = api();
  if (c.detectLayers(bytes).length === 0) return { plaintext: bytes, info: { layers: [] } };
  const opts = await keys(ctx).decodeOptions(docKey);
  const r = await c.decode(bytes, { ...opts, maxOutputBytes: MAX_OPEN_BYTES });
  return { plaintext: r.plaintext, info: { layers: r.layers, ...(r.identity ? { identity: r.identity } : {}), ...(r.passphrase ? { passphrase: r.passphrase } : {}) } };
}

/** Re-applies the layers the document was read with, to the same keys plus the location's rules. */
export async function encodeBytes(ctx: Ctx, location: string, plaintext: Uint8Array, info: DecodeInfo): Promise<Uint8Array> {
  if (info.layers.length === 0) return plaintext;
  const opts = info.layers.some((l) => l.kind === 'age') ? await keys(ctx).encodeOptions(location, info) : {};
  return api().encode(plaintext, info.layers, opts);
}

/** A decoding stream for downloads (the codec's decodeStream with the document's keys). */
export async function decodeStreamFor(ctx: Ctx, docKey: string): Promise<(src: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>> {
  const opts = await keys(ctx).decodeOptions(docKey);
  const c = api();
  return (src) => c.decodeStream(src, opts);
}

const AGE_BINARY = new TextEncoder().encode('age-encryption.org/');
const AGE_ARMOR = new TextEncoder().encode('-----BEGIN AGE');

/** A cheap magic check so plain objects never pay for loading the crypto bundle. */
function looksEncoded(b: Uint8Array): boolean {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return true;
  const starts = (m: Uint8Array) => b.length >= m.length && m.every((x, i) => b[i] === x);
  return starts(AGE_BINARY) || starts(AGE_ARMOR);
}
