import type { ByteReader } from '../reader';
import { decodeB64, encodeB64 } from './base64';
import { AgeError, fail } from './errors';

/** The first line of every age v1 file. */
export const VERSION_LINE = 'age-encryption.org/v1';
const STANZA_PREFIX = '-> ';
const MAC_PREFIX = '---';
/** Bounds the memory a hostile header can take; real headers are a few hundred bytes per recipient. */
const MAX_HEADER = 1 << 20;
const MAX_LINE = 64 * 1024;
/**
 * Stanzas accepted in one header. The spec and both reference implementations set no bound
 * (age dropped its limit of 20 in 2021), but every X25519 stanza costs one agreement per identity
 * before the header can be authenticated, so an unbounded count is unbounded work. Real files
 * carry a handful; this leaves room for large teams and caps the work at about 0.1 s per identity.
 */
export const MAX_STANZAS = 1024;
const COLUMNS = 64;
const VCHAR = /^[\x21-\x7e]+$/;

export interface Stanza {
  type: string;
  args: string[];
  body: Uint8Array;
}

export interface Header {
  stanzas: Stanza[];
  /** The header bytes the MAC covers: everything up to and including '---'. */
  macInput: Uint8Array;
  mac: Uint8Array;
}

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** The start of every age file and of every later version's, so that no age file passes as plaintext. */
export const AGE_PREFIX = 'age-encryption.org/';
/** The version line as PowerShell's UTF-16 redirection leaves it, up to 'age-'. */
export const UTF16_PREFIX = '\xff\xfea\x00g\x00e\x00-\x00';
const CONVERTED = 'Something converted the file as text (PowerShell redirection, a git autocrlf setting or a text-mode transfer). Use the original binary file, or armor (-a) where only text travels.';

/** Explains a first line that is not the v1 version line; CRLF and UTF-16 mean a converted file. */
function refuseVersion(version: string): never {
  if (version === VERSION_LINE + '\r') fail('header', 'The age header has Windows (CRLF) line endings', 'Integrity', CONVERTED);
  if (version.startsWith(UTF16_PREFIX.slice(0, 2))) fail('header', 'The age header is UTF-16 text', 'Integrity', CONVERTED);
  if (version.startsWith(AGE_PREFIX)) {
    fail('header', `Unsupported age version "${version.slice(0, 40)}"`, 'Integrity', 'This tool reads age v1 (age-encryption.org/v1) only; decrypt the file with a tool that supports its version.');
  }
  fail('header', 'The input is not an age file (it does not start with the age header line)', 'BadInput');
}

/** Reads and parses the header, leaving the reader at the payload nonce. */
export async function readHeader(r: ByteReader): Promise<Header> {
  const lines: string[] = [];
  let size = 0;
  const next = async (): Promise<string> => {
    const line = await r.readLine(MAX_LINE);
    if (line === undefined) fail('header', 'An age header line is too long');
    size += line.length;
    if (size > MAX_HEADER) fail('header', `The age header is larger than ${MAX_HEADER} bytes`);
    const text = latin1(line);
    if (!text.endsWith('\n')) fail('header', 'The age header ends before its MAC line');
    lines.push(text);
    return text.slice(0, -1);
  };

  const version = await next().catch((e: unknown) => {
    if (e instanceof AgeError && e.failure !== 'header') throw e;
    fail('header', 'The input is empty or is not an age file', 'BadInput');
  });
  if (version !== VERSION_LINE) refuseVersion(version);
  const stanzas: Stanza[] = [];
  let line = await next();
  while (line.startsWith(STANZA_PREFIX)) {
    // Checked at the stanza's first line, before its body is read or any key work is done.
    if (stanzas.length >= MAX_STANZAS) {
      fail('header', `The age header has more than ${MAX_STANZAS} recipient stanzas`, 'TooLarge', 'Unwrapping that many costs time for each one, and real files have a few, so it was not decrypted. If you trust the file, decrypt it with age -d.');
    }
    const args = line.slice(STANZA_PREFIX.length).split(' ');
    if (args.some((a) => !VCHAR.test(a))) fail('header', 'An age stanza has an empty argument or an invalid character');
    const [type, ...rest] = args as [string, ...string[]];
    const chunks: Uint8Array[] = [];
    for (;;) {
      const body = await next();
      if (body.length > COLUMNS) fail('header', 'An age stanza body line is longer than 64 columns');
      chunks.push(decodeB64(body, 'header', 'An age stanza body'));
      if (body.length < COLUMNS) break;
    }
    stanzas.push({ type, args: rest, body: Buffer.concat(chunks) });
    line = await next();
  }
  if (!line.startsWith(MAC_PREFIX + ' ') || line.length !== 4 + 43) fail('header', 'The age header MAC line is malformed');
  if (stanzas.length === 0) fail('header', 'The age header has no recipient stanzas');
  const mac = decodeB64(line.slice(4), 'header', 'The age header MAC');
  const all = Buffer.from(lines.join(''), 'latin1');
  return { stanzas, mac, macInput: new Uint8Array(all.subarray(0, all.length - line.length + MAC_PREFIX.length - 1)) };
}

/** The header text up to and including '---', the part the MAC covers. */
export function headerForMac(stanzas: readonly Stanza[]): Uint8Array {
  let text = VERSION_LINE + '\n';
  for (const s of stanzas) {
    text += `${STANZA_PREFIX}${[s.type, ...s.args].join(' ')}\n`;
    const b64 = encodeB64(s.body);
    // Full lines, then one short (possibly empty) line that ends the stanza.
    for (let i = 0; i <= b64.length; i += COLUMNS) text += b64.slice(i, i + COLUMNS) + '\n';
  }
  return Buffer.from(text + MAC_PREFIX, 'latin1');
}

export function headerWithMac(macInput: Uint8Array, mac: Uint8Array): Uint8Array {
  return Buffer.concat([macInput, Buffer.from(` ${encodeB64(mac)}\n`, 'latin1')]);
}
