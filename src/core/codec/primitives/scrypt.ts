// The single-algorithm build: the full hash-wasm index inlines every algorithm's wasm (~200 KB).
const { scrypt: wasmScrypt } = require('hash-wasm/dist/scrypt.umd.min.js') as Pick<typeof import('hash-wasm'), 'scrypt'>;
import { aint, abytes } from './check';

/** hash-wasm's scrypt serves both backends: it was the fastest one measured here (baselines.md). */
export async function scrypt(password: Uint8Array, salt: Uint8Array, logN: number, length: number): Promise<Uint8Array> {
  abytes('password', password);
  abytes('salt', salt);
  aint('logN', logN, 1, 30);
  return wasmScrypt({
    password,
    salt,
    costFactor: 2 ** logN,
    blockSize: 8,
    parallelism: 1,
    hashLength: length,
    outputType: 'binary',
  });
}
