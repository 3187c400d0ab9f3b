import { dirname } from 'node:path';
import { storageError } from '../../core/errors';

/**
 * Where each path of a snapshot goes back to: the path itself, restored into the folder it was
 * backed up from. A path inside another one comes back with that one. The folders above the
 * paths are not restored: the snapshot holds them only to reach the paths.
 */
export function originalPaths(paths: string[]): { path: string; target: string }[] {
  const clean = [...new Set(paths.map((p) => p.replace(/\/+$/, '') || '/'))].sort();
  for (const p of clean) if (!p.startsWith('/')) throw storageError('BadInput', `The snapshot's path ${p} is not absolute, so it has no original place here. Use "Restore To..." and pick a folder.`);
  const top = clean.filter((p) => !clean.some((q) => q !== p && (q === '/' || p.startsWith(`${q}/`))));
  return top.map((p) => ({ path: p, target: p === '/' ? '/' : dirname(p) }));
}

