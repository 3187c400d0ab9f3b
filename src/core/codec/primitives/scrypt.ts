import { scrypt as wasmScrypt } from 'hash-wasm';
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
