import { createHash } from 'node:crypto';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { storageError } from '../errors';

/** A folder shown in the Local view. The id is stable for a path, so URIs survive restarts. */
export interface LocalRoot {
  id: string;
  path: string;
  name: string;
}

export function rootFor(path: string): LocalRoot {
  if (typeof path !== 'string' || path.trim() === '') throw storageError('BadInput', 'path: a root needs a folder path. Pick a folder.');
  const abs = resolve(path);
  const id = createHash('sha256').update(abs).digest('hex').slice(0, 12);
  return { id, path: abs, name: basename(abs) || abs };
}

/** Roots for the paths in the settings, without duplicates, in the order given. */
export function rootsFrom(paths: readonly unknown[]): LocalRoot[] {
  const seen = new Set<string>();
  const out: LocalRoot[] = [];
  for (const p of paths) {
    if (typeof p !== 'string' || p.trim() === '') continue;
    const r = rootFor(p);
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    out.push(r);
  }
  return out;
}

/** Absolute path of `rel` (`/`-separated) inside the root; refuses anything that climbs out. */
export function resolveInRoot(root: LocalRoot, rel: string): string {
  const clean = rel.replace(/^\/+/, '');
  const abs = resolve(root.path, ...clean.split('/').filter((s) => s !== ''));
  const back = relative(root.path, abs);
  if (back === '..' || back.startsWith(`..${sep}`) || isAbsolute(back)) {
    throw storageError('BadInput', `${rel} is outside the root ${root.path}. Use a path inside the root.`);
  }
  return abs;
}

/** The `/`-separated path of `abs` inside the root ('' for the root itself). */
export function relativeInRoot(root: LocalRoot, abs: string): string {
  const back = relative(root.path, abs);
  if (back.startsWith('..') || isAbsolute(back)) throw storageError('BadInput', `${abs} is not inside the root ${root.path}.`);
  return back.split(sep).join('/');
}
