import { readFile, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { storageError } from '../errors';
import { atomicWrite } from './atomicWrite';
import { mapFsError } from './fsErrors';

export type TransformOp = 'encrypt' | 'decrypt' | 'compress' | 'decompress';

/**
 * The name a transformed file gets beside the original: `x.json` -> `x.json.gz.age` when
 * encrypting with compression, `x.json.gz` -> `x.json` when decompressing. A file whose layer
 * was found by magic bytes only gets `.decoded` rather than losing its whole name.
 */
export function transformedName(name: string, op: TransformOp, compressToo = false): string {
  switch (op) {
    case 'encrypt':
      return compressToo ? `${name}.gz.age` : `${name}.age`;
    case 'compress':
      return `${name}.gz`;
    case 'decrypt':
      return /\.age$/i.test(name) ? name.slice(0, -4) : `${name}.decrypted`;
    case 'decompress':
      return /\.gz$/i.test(name) ? name.slice(0, -3) : `${name}.decompressed`;
  }
}

export interface WriteBesideOptions {
  /** Delete the original once the new file has been read back and verified. */
  deleteOriginal?: boolean;
}

/**
 * Writes `bytes` to `dest` (never over an existing file), reads it back and lets `verify`
 * confirm it decodes to what was meant; only then may the original go. A failed check
 * removes the new file and leaves the original untouched.
 */
export async function writeBeside(
  original: string,
  dest: string,
  bytes: Uint8Array,
  verify: (readBack: Uint8Array) => Promise<boolean>,
  options: WriteBesideOptions = {},
): Promise<{ path: string; deleted: boolean }> {
  await atomicWrite(dest, bytes, { exclusive: true });
  let ok = false;
  try {
    const back = await readFile(dest);
    ok = back.equals(bytes) && (await verify(back));
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
