import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { createBLAKE3, createCRC32, createXXHash3 } from 'hash-wasm';
import { storageError } from '../errors';

/** Every checksum we compute; the first three come from node:crypto, crc32 from node:zlib. */
export const ALGORITHMS = ['sha256', 'sha1', 'md5', 'crc32', 'crc32c', 'blake3', 'xxh3'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** A streaming hash: feed chunks, then take the lowercase hex digest once. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  digest(): string;
}

// Castagnoli polynomial (reflected), as used by iSCSI, ext4 and S3's CRC32C checksums.
const CRC32C_POLYNOMIAL = 0x82f63b78;

export function isAlgorithm(value: unknown): value is Algorithm {
  return typeof value === 'string' && (ALGORITHMS as readonly string[]).includes(value);
}

export function checkAlgorithm(algorithm: unknown): Algorithm {
  if (isAlgorithm(algorithm)) return algorithm;
  throw storageError('BadInput', `algorithm: "${String(algorithm)}" is not supported. Use one of ${ALGORITHMS.join(', ')}.`);
}

/** Creates a fresh hasher; the wasm ones are instantiated on first use. */
export async function createHasher(algorithm: Algorithm): Promise<Hasher> {
  switch (checkAlgorithm(algorithm)) {
    case 'sha256':
    case 'sha1':
    case 'md5': {
      const h = createHash(algorithm);
      return { update: (c) => void h.update(c), digest: () => h.digest('hex') };
    }
    case 'crc32': {
      let value = 0;
      return {
        update: (c) => void (value = crc32(c, value)),
        digest: () => value.toString(16).padStart(8, '0'),
      };
    }
    case 'crc32c':
      return wasm(await createCRC32(CRC32C_POLYNOMIAL));
    case 'blake3':
      return wasm(await createBLAKE3());
    case 'xxh3':
      return wasm(await createXXHash3());
  }
}

function wasm(h: { init(): unknown; update(c: Uint8Array): unknown; digest(f: 'hex'): string }): Hasher {
  h.init();
  return { update: (c) => void h.update(c), digest: () => h.digest('hex') };
}
