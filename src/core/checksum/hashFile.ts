import { open } from 'node:fs/promises';
import { cancelled } from '../errors';
import { mapFsError } from '../local/fsErrors';
import { createHasher, type Algorithm } from './algorithms';

const CHUNK = 1 << 20;

/** Hashes bytes already in memory. */
export async function hashBytes(bytes: Uint8Array, algorithm: Algorithm): Promise<string> {
  const h = await createHasher(algorithm);
  h.update(bytes);
  return h.digest();
}

/** Hashes any byte stream without holding it (a file, an S3 body, a decoded pipeline). */
export async function hashStream(input: AsyncIterable<Uint8Array>, algorithm: Algorithm, signal?: AbortSignal): Promise<string> {
  const h = await createHasher(algorithm);
  for await (const chunk of input) {
    if (signal?.aborted) throw cancelled('Hashing');
    h.update(chunk);
  }
  return h.digest();
}

/**
 * Hashes one file through a reused 1 MiB buffer, so memory stays flat for any size
 * and small files cost one read.
 */
export async function hashFile(path: string, algorithm: Algorithm, signal?: AbortSignal, buffer?: Buffer, onBytes?: (n: number) => void): Promise<string> {
  const h = await createHasher(algorithm);
  const buf = buffer ?? Buffer.allocUnsafe(CHUNK);
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw mapFsError(e, path);
  }
  try {
    for (;;) {
      if (signal?.aborted) throw cancelled('Hashing');
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
      onBytes?.(bytesRead);
    }
  } catch (e) {
    throw mapFsError(e, path);
  } finally {
    await fh.close();
  }
  return h.digest();
}
