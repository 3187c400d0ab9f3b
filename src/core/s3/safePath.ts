import * as path from 'node:path';
import { storageError } from '../errors';

/**
 * The local path for an object key under `folder`, or a BadInput error when the key would land
 * outside it. Keys are S3 names, not paths: `..` segments and absolute forms are refused rather
 * than normalised, and empty segments (`a//b`, a leading `/`) are dropped.
 */
export function safeJoin(folder: string, key: string): string {
  if (typeof key !== 'string' || key === '') throw storageError('BadInput', 'key: an object key is needed.');
  if (key.includes('\0')) throw storageError('BadInput', 'key: contains a NUL character and cannot be a file name.');
  const segments = key.split(/[\\/]+/).filter((s) => s !== '');
  if (segments.length === 0) throw storageError('BadInput', `key: "${key}" names no file.`);
  for (const s of segments) {
    if (s === '..' || s === '.') throw storageError('BadInput', `key: "${key}" has a "${s}" segment; it is not downloaded, to keep files inside the chosen folder.`);
  }
  if (/^[a-zA-Z]:/.test(segments[0] ?? '')) throw storageError('BadInput', `key: "${key}" looks like a drive path; it is not downloaded.`);
  const root = path.resolve(folder);
  const target = path.resolve(root, ...segments);
  // Belt and braces: whatever the rules above missed, the result must stay under root.
  if (target !== root && !target.startsWith(root + path.sep)) {
    throw storageError('BadInput', `key: "${key}" would be written outside ${root}; it is not downloaded.`);
  }
  return target;
}
