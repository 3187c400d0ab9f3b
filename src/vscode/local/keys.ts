import type { DecodeInfo, DecodeOptions, EncodeOptions } from '../../core/codec/api';
import type { Ctx } from '../ctx';

/**
 * The Local view's use of the KeyService: a document is keyed by its storage-local URI (so a
 * passphrase is asked once per document) and located by its absolute path (for recipient rules).
 */
export function decodeOptionsFor(ctx: Ctx, docKey: string, maxOutputBytes: number): Promise<DecodeOptions> {
  return ctx.keys.decodeOptions(docKey).then((o) => ({ ...o, maxOutputBytes }));
}

/** The same layers to the same keys: the identity that decrypted it or its passphrase, plus the location's rules. */
export function encodeOptionsFor(ctx: Ctx, path: string, info: DecodeInfo): Promise<EncodeOptions> {
  return ctx.keys.encodeOptions(path, info);
}

export function identities(ctx: Ctx): Promise<string[]> {
  return ctx.keys.identities();
}
