import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const READ_SIZE = 1 << 20;

/** A file, or stdin for '-' or no name. Large reads keep STREAM chunks within one buffer. */
export function input(path: string | undefined): AsyncIterable<Uint8Array> {
  if (path === undefined || path === '-') return process.stdin;
  return createReadStream(path, { highWaterMark: READ_SIZE });
}

/** Writes a stream to a file (removed again if the stream fails) or to stdout. */
export async function output(data: AsyncIterable<Uint8Array>, path: string | undefined): Promise<void> {
  if (path === undefined || path === '-') {
    await pipeline(Readable.from(data, { objectMode: false }), process.stdout, { end: false });
    return;
  }
  try {
    await pipeline(Readable.from(data, { objectMode: false }), createWriteStream(path));
  } catch (e) {
    // Never leave a partial plaintext or ciphertext behind.
    rmSync(path, { force: true });
    throw e;
  }
}
