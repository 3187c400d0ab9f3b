import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';
import { readFile } from 'node:fs/promises';
import { storageError } from '../errors';

const loaded = new Map<string, Promise<SqlJsStatic>>();

/**
 * Loads sql.js once per wasm path. The path is a parameter because the wasm sits next to the
 * bundle at runtime (dist/sql-wasm.wasm) and in node_modules under tests.
 */
export function loadSqlJs(wasmPath: string): Promise<SqlJsStatic> {
  if (typeof wasmPath !== 'string' || wasmPath === '') throw new TypeError('loadSqlJs: wasmPath must be a file path');
  let p = loaded.get(wasmPath);
  if (!p) {
    p = readFile(wasmPath).then(
      (wasm) => initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }),
      (e: unknown) => {
        throw storageError('Unavailable', `The SQLite engine (sql-wasm.wasm) could not be read from ${wasmPath}. Reinstall the extension.`, e);
      },
    );
    p.catch(() => loaded.delete(wasmPath));
    loaded.set(wasmPath, p);
  }
  return p;
}
