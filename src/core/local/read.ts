import { open, readFile, stat } from 'node:fs/promises';
import { mapFsError } from './fsErrors';
import { checkSize } from './limits';

/** Reads a whole file, refusing one over `maxBytes` before reading a byte of it. */
export async function readLimited(path: string, maxBytes: number): Promise<Buffer> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('dir'), { code: 'EISDIR' });
    checkSize(st.size, maxBytes, path);
    return await readFile(path);
  } catch (e) {
    throw mapFsError(e, path);
  }
}

/** The first `n` bytes (fewer for a short file): enough to sniff the format. */
export async function readHead(path: string, n = 64): Promise<Uint8Array> {
  let fh;
  try {
    fh = await open(path, 'r');
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } catch (e) {
    throw mapFsError(e, path);
  } finally {
    await fh?.close();
  }
}
