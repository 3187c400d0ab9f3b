import type { ByteReader } from '../reader';
import { fail } from './errors';

/** ASCII armor for age files: strict PEM with 64-column padded base64 and no headers. */
export const BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
export const END = '-----END AGE ENCRYPTED FILE-----';
const COLUMNS = 64;
const BYTES_PER_LINE = 48;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const B64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Leading whitespace allowed before the BEGIN line, as age's armor reader allows. */
export const MAX_LEADING_WHITESPACE = 1024;
/** How far past leading whitespace we look for a BEGIN line; memory stays at this much. */
const LOOKAHEAD = 1 << 20;
const TOO_MUCH_WHITESPACE = 'Remove the whitespace before the -----BEGIN line (age accepts at most 1024 bytes of it), then decode again.';

const text = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** True when `bytes` (an input's start) begins with the armor line after optional whitespace. */
export function isArmored(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && WHITESPACE.has(bytes[i] as number)) i++;
  return text(bytes.subarray(i, i + BEGIN.length)) === BEGIN;
}

function leadingWhitespace(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && WHITESPACE.has(bytes[i] as number)) i++;
  return i;
}

/**
 * True when the input is armor after leading whitespace that a 64-byte peek cannot see past.
 * Armor after more whitespace than age accepts is refused rather than passed on as plain text;
 * so is input that is whitespace beyond the look-ahead, which cannot be told apart.
 */
export async function armoredAfterWhitespace(r: ByteReader): Promise<boolean> {
  for (let n = 4096; ; n = Math.min(n * 4, LOOKAHEAD + BEGIN.length)) {
    const start = await r.peek(n);
    const ws = leadingWhitespace(start);
    if (ws === start.length) {
      if (start.length < n) return false;
      if (n >= LOOKAHEAD + BEGIN.length) {
        fail('input', `The input starts with more than ${LOOKAHEAD} bytes of whitespace`, 'BadInput', 'It cannot be told apart from armor after long whitespace, so it was not decoded. Plain text needs no decoding.');
      }
      continue;
    }
    const begin = text((await r.peek(ws + BEGIN.length)).subarray(ws));
    if (begin !== BEGIN) return false;
    if (ws > MAX_LEADING_WHITESPACE) fail('armor', `The armor begins after ${ws} bytes of whitespace`, 'Integrity', TOO_MUCH_WHITESPACE);
    return true;
  }
}

/** One line without its LF or CRLF, and whether it had one. */
async function line(r: ByteReader): Promise<{ value: string; eol: boolean }> {
  const raw = await r.readLine(COLUMNS + 2);
  if (raw === undefined) fail('armor', 'An armor line is longer than 64 columns');
  let value = text(raw);
  const eol = value.endsWith('\n');
  if (eol) value = value.slice(0, value.endsWith('\r\n') ? -2 : -1);
  return { value, eol };
}

/** Decodes armored input; whitespace is allowed only before and after the armor. */
export async function* dearmor(r: ByteReader): AsyncIterable<Uint8Array> {
  for (let skipped = 0; ; skipped++) {
    const b = await r.peek(1);
    if (b.length === 0 || !WHITESPACE.has(b[0] as number)) break;
    if (skipped >= MAX_LEADING_WHITESPACE) fail('armor', `The armor begins after more than ${MAX_LEADING_WHITESPACE} bytes of whitespace`, 'Integrity', TOO_MUCH_WHITESPACE);
    await r.read(1);
  }
  if ((await line(r)).value !== BEGIN) fail('armor', 'The armor does not start with the age BEGIN line');
  let ended = false;
  for (;;) {
    const l = await line(r);
    if (l.value === END) break;
    if (!l.eol) fail('armor', 'The armor has no END line');
    if (ended) fail('armor', 'An armor line after the short last line');
    const v = l.value;
    if (v.length === 0 || !B64_LINE.test(v) || v.length % 4 !== 0) fail('armor', 'An armor line is not valid padded base64');
    ended = v.length < COLUMNS || v.endsWith('=');
    const bytes = Buffer.from(v, 'base64');
    if (bytes.toString('base64') !== v) fail('armor', 'An armor line is not canonical base64');
    yield new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  for (;;) {
    const rest = await r.read(4096);
    if (rest.length === 0) return;
    if (rest.some((c) => !WHITESPACE.has(c))) fail('armor', 'There is data after the armor END line');
  }
}

/** Armors a byte stream: BEGIN line, 64-column base64 lines, END line. */
export async function* armor(input: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  yield Buffer.from(BEGIN + '\n');
  let carry = Buffer.alloc(0);
  for await (const chunk of input) {
    const all = carry.length > 0 ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const whole = all.length - (all.length % BYTES_PER_LINE);
    if (whole > 0) yield Buffer.from(lines(all.subarray(0, whole)));
    carry = Buffer.from(all.subarray(whole));
  }
  if (carry.length > 0) yield Buffer.from(lines(carry));
  yield Buffer.from(END + '\n');
}

function lines(bytes: Buffer): string {
  const b64 = bytes.toString('base64');
  let out = '';
  for (let i = 0; i < b64.length; i += COLUMNS) out += b64.slice(i, i + COLUMNS) + '\n';
  return out;
}
