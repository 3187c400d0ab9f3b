import { storageError } from '../errors';
import { OVERHEAD, open, seal, type MasterKey } from './crypto';

export type BlobType = 'data' | 'tree';

/** One blob's place in a pack, as the index and the pack header both describe it. */
export interface PackedBlob {
  id: string;
  type: BlobType;
  offset: number;
  /** Length of the encrypted blob in the pack. */
  length: number;
  /** Set for zstd-compressed blobs (version 2): the plaintext's length. */
  uncompressedLength?: number;
}

const PLAIN_ENTRY = 1 + 4 + 32;
const COMPRESSED_ENTRY = 1 + 4 + 4 + 32;
/** A header bigger than this is not one restic wrote (packs hold at most a few thousand blobs). */
const MAX_HEADER = 16 * 1024 * 1024;

/** The encrypted header's length from a pack's last four bytes. */
export function headerLength(tail: Uint8Array, packSize: number, what: string): number {
  if (tail.length !== 4) throw storageError('Integrity', `${what}: too short to be a pack.`);
  const n = new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true);
  if (n < OVERHEAD || n + 4 > packSize || n > MAX_HEADER) throw storageError('Integrity', `${what}: its header length (${n}) does not fit the pack's ${packSize} bytes.`);
  return n;
}

/** Parses a sealed pack header into the blobs it lists, offsets counted from the pack's start. */
export function parseHeader(key: MasterKey, sealed: Uint8Array, what: string): PackedBlob[] {
  const plain = open(key, sealed, `${what} (header)`);
  const view = new DataView(plain.buffer, plain.byteOffset, plain.length);
  const out: PackedBlob[] = [];
  let pos = 0;
  let offset = 0;
  while (pos < plain.length) {
    const t = plain[pos]!;
    const size = t >= 2 ? COMPRESSED_ENTRY : PLAIN_ENTRY;
    if (t > 3 || pos + size > plain.length) throw storageError('Integrity', `${what}: its header has an unknown blob type ${t} or ends early.`);
    const length = view.getUint32(pos + 1, true);
    const blob: PackedBlob = { type: t & 1 ? 'tree' : 'data', offset, length, id: '' };
    if (t >= 2) blob.uncompressedLength = view.getUint32(pos + 5, true);
    blob.id = Buffer.from(plain.subarray(pos + size - 32, pos + size)).toString('hex');
    out.push(blob);
    offset += length;
    pos += size;
  }
  return out;
}

/** The sealed header plus its 4-byte length, to append after the blobs. */
export function buildHeader(key: MasterKey, blobs: readonly PackedBlob[]): Uint8Array {
  const size = blobs.reduce((n, b) => n + (b.uncompressedLength === undefined ? PLAIN_ENTRY : COMPRESSED_ENTRY), 0);
  const plain = new Uint8Array(size);
  const view = new DataView(plain.buffer);
  let pos = 0;
  for (const b of blobs) {
    const compressed = b.uncompressedLength !== undefined;
    plain[pos] = (b.type === 'tree' ? 1 : 0) | (compressed ? 2 : 0);
    view.setUint32(pos + 1, b.length, true);
    if (compressed) view.setUint32(pos + 5, b.uncompressedLength!, true);
    const idAt = pos + (compressed ? 9 : 5);
    plain.set(Buffer.from(b.id, 'hex'), idAt);
    pos = idAt + 32;
  }
  const sealed = seal(key, plain);
  const out = new Uint8Array(sealed.length + 4);
  out.set(sealed, 0);
  new DataView(out.buffer).setUint32(sealed.length, sealed.length, true);
  return out;
}
