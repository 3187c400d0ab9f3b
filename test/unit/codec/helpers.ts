// Shared helpers for the codec tests.
import { randomBytes } from 'node:crypto';
import type { BackendName } from '../../../src/core/codec/primitives';

export const BACKENDS: BackendName[] = ['node', 'portable'];

/** Yields `bytes` in pieces of `size` (the read size a caller happens to use). */
export async function* pieces(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export function random(n: number): Uint8Array {
  return new Uint8Array(randomBytes(n));
}

/** Consumes a stream and records what it released before failing. */
export async function drain(input: AsyncIterable<Uint8Array>): Promise<{ released: number; error?: unknown }> {
  let released = 0;
  try {
    for await (const c of input) released += c.length;
    return { released };
  } catch (error) {
    return { released, error };
  }
}
