// The single-algorithm build: the full hash-wasm index inlines every algorithm's wasm (~200 KB).
const { scrypt: hashWasmScrypt } = require('hash-wasm/dist/scrypt.umd.min.js') as Pick<typeof import('hash-wasm'), 'scrypt'>;
import { storageError } from '../../errors';
import { aint, abytes } from './check';

export const SCRYPT_R = 8;
/** hash-wasm keeps its buffer in one wasm memory, which cannot reach the 2 GiB that 2^21 needs. */
export const WASM_MAX_LOG_N = 20;

/** The memory scrypt needs for a work factor: 128 * r * N bytes, plus a little for the rest. */
export function scryptMemory(logN: number): number {
  return 128 * SCRYPT_R * 2 ** logN + (1 << 20);
}

export function checkScryptInput(password: Uint8Array, salt: Uint8Array, logN: number): void {
  abytes('password', password);
  abytes('salt', salt);
  aint('logN', logN, 1, 30);
}

/** hash-wasm's scrypt for the portable backend (no node:crypto there); fastest of the portable ones. */
export async function wasmScrypt(password: Uint8Array, salt: Uint8Array, logN: number, length: number): Promise<Uint8Array> {
  checkScryptInput(password, salt, logN);
  if (logN > WASM_MAX_LOG_N) {
    throw storageError('TooLarge', `The portable scrypt handles work factors up to 2^${WASM_MAX_LOG_N}, and this file needs 2^${logN}. Open it where node:crypto is available (the desktop editor or the CLI).`);
  }
  return hashWasmScrypt({ password, salt, costFactor: 2 ** logN, blockSize: SCRYPT_R, parallelism: 1, hashLength: length, outputType: 'binary' });
}
