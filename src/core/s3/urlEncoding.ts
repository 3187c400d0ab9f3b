import { storageError } from '../errors';

/**
 * Listings are asked for with EncodingType=url: XML cannot carry every character a key may hold
 * (a `\r` comes back as `\n`, most control characters not at all), so the server percent-encodes
 * keys, prefixes and markers and we decode them here. `+` is a space, as in a form.
 */
export function decodeListed(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw storageError('Integrity', `The server listed a key that is not valid URL encoding ("${value.slice(0, 80)}"). Report it to the storage provider; the listing was not used.`);
  }
}

/** Decodes when the answer says it is encoded (servers that ignore the request send plain keys). */
export function listedDecoder(encodingType: string | undefined): (v: string) => string {
  return encodingType === 'url' ? decodeListed : (v) => v;
}
