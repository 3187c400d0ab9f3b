import { storageError } from '../errors';
import { decrypt, encrypt } from './age';
import { armoredAfterWhitespace, isArmored } from './age/armor';
import { AGE_PREFIX, UTF16_PREFIX } from './age/format';
import * as keys from './age/keys';
import type { DecodeInfo, DecodeOptions, DecodeResult, EncodeOptions, Layer } from './api';
import { DEFAULT_GZIP_LEVEL, gunzipStream, gzipStream, isGzip, peekGunzip } from './gzip';
import { primitives, type Primitives } from './primitives';
import { ByteReader, coalesce, collect, fromBytes } from './reader';

/** Layers peeled at most; more is hostile input, not a real file. */
const MAX_LAYERS = 4;
const PEEK = 64;
/** The whole-buffer API holds everything in memory, so it is bounded even when the caller is not. */
export const DEFAULT_MAX_OUTPUT_BYTES = 512 * 1024 * 1024;
// Any age version line (and its UTF-16 spelling) marks an age layer: what the header parser
// cannot read is refused with a reason, never copied through as plaintext.
const AGE_MAGICS = [Buffer.from(AGE_PREFIX, 'latin1'), Buffer.from(UTF16_PREFIX, 'latin1')];
const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Options also accepted by the pipeline: the primitives backend (node by default). */
export interface BackendOption {
  backend?: Primitives;
}

function layerAt(start: Uint8Array): Layer | undefined {
  if (isGzip(start)) return { kind: 'gzip' };
  if (isArmored(start)) return { kind: 'age', armor: true };
  if (AGE_MAGICS.some((m) => Buffer.from(start.subarray(0, m.length)).equals(m))) return { kind: 'age' };
  return undefined;
}

/**
 * The layers visible from the magic bytes, outermost first. An age layer hides what is inside
 * it, so detection stops there; decode() reports every layer it peeled.
 */
export function detectLayers(bytes: Uint8Array): Layer[] {
  const layers: Layer[] = [];
  let start: Uint8Array | undefined = bytes;
  while (start !== undefined && layers.length < MAX_LAYERS) {
    const layer = layerAt(start);
    if (layer === undefined) break;
    layers.push(layer);
    if (layer.kind === 'age') break;
    start = peekGunzip(start);
  }
  return layers;
}

export interface Decoded extends DecodeInfo {
  output: AsyncIterable<Uint8Array>;
}

/** Peels every detected layer; the header work happens now, the payload as it is consumed. */
export async function openDecoded(input: AsyncIterable<Uint8Array>, opts: DecodeOptions & BackendOption): Promise<Decoded> {
  const info: DecodeInfo = { layers: [] };
  let stream = input;
  for (;;) {
    const r = new ByteReader(stream);
    const start = await r.peek(PEEK);
    let layer = layerAt(start);
    // Whitespace can hide a BEGIN line past the peek; look further (bounded) rather than guess.
    if (layer === undefined && SPACE.has(start[0] as number) && (await armoredAfterWhitespace(r))) layer = { kind: 'age', armor: true };
    if (layer === undefined || info.layers.length >= MAX_LAYERS) {
      // age releases 64 KiB pieces; joining them saves per-piece costs downstream. gunzip's are large already.
      const last = info.layers[info.layers.length - 1];
      const output = last?.kind === 'age' ? coalesce(r.rest()) : r.rest();
      return { ...info, output: opts.maxOutputBytes === undefined ? output : limited(output, opts.maxOutputBytes) };
    }
    info.layers.push(layer);
    if (layer.kind === 'gzip') {
      stream = gunzipStream(r.rest(), { maxOutputBytes: opts.maxOutputBytes, backend: opts.backend });
    } else {
      const opened = await decrypt(r.rest(), { ...opts, armor: layer.armor === true });
      if (opened.identity !== undefined) info.identity = opened.identity;
      if (opened.passphrase !== undefined) info.passphrase = opened.passphrase;
      stream = opened.payload;
    }
  }
}

async function* limited(input: AsyncIterable<Uint8Array>, max: number): AsyncIterable<Uint8Array> {
  let total = 0;
  for await (const chunk of input) {
    total += chunk.length;
    if (total > max) throw tooLarge(max);
    yield chunk;
  }
}

const tooLarge = (max: number) => storageError('TooLarge', `The decoded data is larger than the limit of ${max} bytes, so it was not opened. Download it instead.`);

export async function* decodeStream(input: AsyncIterable<Uint8Array>, opts: DecodeOptions & BackendOption): AsyncIterable<Uint8Array> {
  yield* (await openDecoded(input, opts)).output;
}

export async function decode(bytes: Uint8Array, opts: DecodeOptions & BackendOption): Promise<DecodeResult> {
  const max = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const { output, ...info } = await openDecoded(fromBytes(bytes), { ...opts, maxOutputBytes: max });
  const plaintext = await collect(output, max, () => tooLarge(max));
  return { ...info, plaintext };
}

/** Applies `layers` (outermost first) to a plaintext stream: gzip first, then age. */
export function encodeStream(input: AsyncIterable<Uint8Array>, layers: readonly Layer[], opts: EncodeOptions & BackendOption): AsyncIterable<Uint8Array> {
  if (layers.length > MAX_LAYERS) throw storageError('BadInput', `layers: at most ${MAX_LAYERS} layers are supported.`);
  let stream = input;
  for (const layer of [...layers].reverse()) {
    if (layer.kind === 'gzip') stream = gzipStream(stream, opts.gzipLevel ?? DEFAULT_GZIP_LEVEL, opts.backend);
    else if (layer.kind === 'age') {
      stream = encrypt(stream, {
        recipients: opts.recipients,
        passphrase: opts.passphrase,
        scryptLogN: opts.scryptLogN,
        armor: layer.armor === true,
        backend: opts.backend,
      });
    } else throw storageError('BadInput', `layers: unknown layer kind "${String((layer as Layer).kind)}".`);
  }
  return stream;
}

export async function encode(plaintext: Uint8Array, layers: readonly Layer[], opts: EncodeOptions & BackendOption): Promise<Uint8Array> {
  return collect(encodeStream(fromBytes(plaintext), layers, opts));
}

/** The `age1...` recipient of an `AGE-SECRET-KEY-1...` identity. */
export function identityToRecipient(identity: string): string {
  return keys.identityToRecipient(primitives(), identity);
}

export function generateIdentity(): { identity: string; recipient: string } {
  return keys.generateIdentity(primitives());
}

export { innerName } from '../names';
