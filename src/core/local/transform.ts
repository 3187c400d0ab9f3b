import { unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { storageError } from '../errors';
import { innerName } from '../names';
import { atomicWrite } from './atomicWrite';
import { mapFsError } from './fsErrors';

export type TransformOp = 'encrypt' | 'decrypt' | 'compress' | 'decompress';

/**
 * The name a transformed file gets beside the original: `x.json` -> `x.json.gz.age` when
 * encrypting with compression. Decrypt and decompress peel every layer, so `x.json.gz.age`
 * -> `x.json`. A file whose layers were found by magic bytes only gets a suffix instead.
 */
export function transformedName(name: string, op: TransformOp, compressToo = false): string {
  switch (op) {
    case 'encrypt':
      return compressToo ? `${name}.gz.age` : `${name}.age`;
    case 'compress':
      return `${name}.gz`;
    case 'decrypt':
    case 'decompress': {
      const inner = innerName(name);
      return inner !== name && inner !== '' ? inner : `${name}.${op === 'decrypt' ? 'decrypted' : 'decompressed'}`;
    }
  }
}

export interface WriteBesideOptions {
  /** Delete the original once the new file has been read back and verified. */
  deleteOriginal?: boolean;
}

/**
 * Writes `data` to `dest` (never over an existing file), then lets `verify` read the new
 * file back and confirm it decodes to what was meant; only then may the original go.
 * A failed check removes the new file and leaves the original untouched.
 */
export async function writeBeside(
  original: string,
  dest: string,
  data: Uint8Array | AsyncIterable<Uint8Array>,
  verify: (dest: string) => Promise<boolean>,
  options: WriteBesideOptions = {},
): Promise<{ path: string; deleted: boolean }> {
  await atomicWrite(dest, data, { exclusive: true });
  let ok = false;
  try {
    ok = await verify(dest);
  } catch (e) {
    await unlink(dest).catch(() => undefined);
    throw e;
  }
  if (!ok) {
    await unlink(dest).catch(() => undefined);
    throw storageError('Integrity', `${basename(dest)} did not read back as written, so it was removed and ${basename(original)} was kept. Check the disk and try again.`);
  }
  if (!options.deleteOriginal) return { path: dest, deleted: false };
  try {
    await unlink(original);
  } catch (e) {
    throw mapFsError(e, original);
  }
  return { path: dest, deleted: true };
}
