import type { DecodeOptions, DecodeResult, EncodeOptions, Layer } from '../../core/codec/api';
import { storageError } from '../../core/errors';
import { codec } from '../lazy';

/** The pipeline functions this view needs, as the codec contract names them. */
export interface CodecApi {
  detectLayers(bytes: Uint8Array): Layer[];
  decode(bytes: Uint8Array, opts: DecodeOptions): Promise<DecodeResult>;
  encode(plaintext: Uint8Array, layers: Layer[], opts: EncodeOptions): Promise<Uint8Array>;
  identityToRecipient(identity: string): string;
  decodeStream(input: AsyncIterable<Uint8Array>, opts: DecodeOptions): AsyncIterable<Uint8Array>;
  encodeStream(input: AsyncIterable<Uint8Array>, layers: Layer[], opts: EncodeOptions): AsyncIterable<Uint8Array>;
}

/**
 * The codec bundle, loaded on first use. Typed against the contract so this area builds
 * before the codec lands, and fails with a clear message if the bundle lacks the pipeline.
 */
export async function codecApi(): Promise<CodecApi> {
  const mod = codec() as unknown as Partial<CodecApi>;
  if (typeof mod.decode !== 'function' || typeof mod.encode !== 'function' || typeof mod.detectLayers !== 'function') {
    throw storageError('Unavailable', 'The gzip/age pipeline is not in this build. Update the extension; meanwhile open the raw file.');
  }
  return mod as CodecApi;
}

/** Layers a new file gets from its name alone (`x.json.gz.age` -> age over gzip). */
export function layersFromName(name: string): Layer[] {
  const layers: Layer[] = [];
  let rest = name;
  for (;;) {
    if (/\.age$/i.test(rest)) layers.push({ kind: 'age' });
    else if (/\.gz$/i.test(rest)) layers.push({ kind: 'gzip' });
    else break;
    rest = rest.replace(/\.[^.]+$/, '');
  }
  return layers;
}

/** `config.json.gz.age` -> `config.json`: the name whose language the editor should use. */
export function innerName(name: string): string {
  return name.replace(/(\.(gz|age))+$/i, '') || name;
}
