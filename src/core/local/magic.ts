/**
 * A cheap sniff of the outermost layer (tree badges, plain S3 objects), so callers need not load the codec
 * bundle. The codec's detectLayers is the authority when a file is actually decoded.
 */
export type Sniffed = 'gzip' | 'age' | 'age-armor' | 'plain';

// Any version and any line ending: the codec must see them, to refuse what it cannot read.
const AGE_PREFIX = 'age-encryption.org/';
const AGE_PREFIX_UTF16 = 'age-encryption.org/'.split('').map((c) => c + '\0').join('');
const AGE_ARMOR = '-----BEGIN AGE ENCRYPTED FILE-----';

export function sniff(head: Uint8Array): Sniffed {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  const text = Buffer.from(head.subarray(0, 64)).toString('latin1');
  if (text.startsWith(AGE_PREFIX)) return 'age';
  if (text.startsWith('\xff\xfe' + AGE_PREFIX_UTF16.slice(0, 30))) return 'age';
  if (text.trimStart().startsWith(AGE_ARMOR)) return 'age-armor';
  return 'plain';
}

/**
 * True when the head starts with whitespace: armor may follow more whitespace than a sniff reads,
 * so such bytes go to the codec, which decides (plain text that starts with a space stays plain).
 */
export function startsWithWhitespace(head: Uint8Array): boolean {
  const b = head[0];
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/** True when the name says it is a pipeline file even before the bytes are read. */
export function hasPipelineSuffix(name: string): boolean {
  return /\.(gz|age)$/i.test(name);
}
