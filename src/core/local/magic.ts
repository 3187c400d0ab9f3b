/**
 * A cheap sniff of the outermost layer (tree badges, plain S3 objects), so callers need not load the codec
 * bundle. The codec's detectLayers is the authority when a file is actually decoded.
 */
export type Sniffed = 'gzip' | 'age' | 'age-armor' | 'plain';

const AGE_HEADER = 'age-encryption.org/v1\n';
const AGE_ARMOR = '-----BEGIN AGE ENCRYPTED FILE-----';

export function sniff(head: Uint8Array): Sniffed {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  const text = Buffer.from(head.subarray(0, 64)).toString('latin1');
  if (text.startsWith(AGE_HEADER)) return 'age';
  if (text.trimStart().startsWith(AGE_ARMOR)) return 'age-armor';
  return 'plain';
}

/** True when the name says it is a pipeline file even before the bytes are read. */
export function hasPipelineSuffix(name: string): boolean {
  return /\.(gz|age)$/i.test(name);
}
