import { createReadStream, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { storageError } from '../core/errors';
import { atomicWrite } from '../core/local/atomicWrite';

const READ_SIZE = 1 << 20;

/** A file, or stdin for '-' or no name. Large reads keep STREAM chunks within one buffer. */
export function input(path: string | undefined): AsyncIterable<Uint8Array> {
  if (path === undefined || path === '-') return process.stdin;
  return createReadStream(path, { highWaterMark: READ_SIZE });
}

const isStdio = (path: string | undefined): path is undefined | '-' => path === undefined || path === '-';

/** The same file by path, by the path a symlink names, or by inode (a hard link). */
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    if (realpathSync(a) === realpathSync(b)) return true;
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    // One of them does not exist (yet), so they cannot be the same file.
    return false;
  }
}

/**
 * Refuses an output that is also one of the files the command reads (input, identity or
 * recipients file), as age does: writing it would replace what is still to be read.
 */
export function refuseSameFile(out: string | undefined, reads: readonly (string | undefined)[]): void {
  if (isStdio(out)) return;
  for (const r of reads) {
    if (isStdio(r)) continue;
    if (sameFile(out, r)) {
      throw storageError('BadInput', `-o ${out} is the same file as ${r}, which this command reads, so it was not touched. Write to another file, then rename it if you want to replace the original.`);
    }
  }
}

/**
 * Writes a stream to stdout, or to a file through the one atomic write: the new bytes go to a
 * temp file beside it and replace the file only when complete, so a failed decode or a kill
 * leaves an existing file as it was.
 */
export async function output(data: AsyncIterable<Uint8Array>, path: string | undefined): Promise<void> {
  if (isStdio(path)) {
    await pipeline(Readable.from(data, { objectMode: false }), process.stdout, { end: false });
    return;
  }
  await atomicWrite(path, data);
}
