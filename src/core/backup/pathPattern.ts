import { storageError } from '../errors';

// restic's path patterns (its filter package): components joined by '/', each a Go
// filepath.Match glob ('*', '?', '[a-z]', '[^x]', '\' escapes), '**' for any number of
// folders. An absolute pattern matches from the root; a relative one at any depth. A pattern
// that matches a folder also matches everything below it.

function globToRegExp(glob: string, ignoreCase: boolean): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      const next = glob[++i];
      if (next === undefined) throw storageError('BadInput', `pattern ${glob}: ends in a lone backslash.`);
      re += next.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) throw storageError('BadInput', `pattern ${glob}: a '[' has no closing ']'.`);
      let body = glob.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\]\\[]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, ignoreCase ? 'iu' : 'u');
}

export interface PathPattern {
  absolute: boolean;
  /** One entry per component; null stands for '**'. */
  parts: (RegExp | null)[];
}

export function parsePattern(pattern: string, ignoreCase = false): PathPattern {
  if (pattern === '') throw storageError('BadInput', 'an empty pattern matches nothing useful; give a name or a glob such as *.txt.');
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p) => p !== '').map((p) => (p === '**' ? null : globToRegExp(p, ignoreCase)));
  return { absolute, parts };
}

/** Whether the pattern matches a run of components starting at `at`. */
function matchFrom(parts: PathPattern['parts'], pi: number, comps: string[], at: number): boolean {
  if (pi === parts.length) return true;
  const p = parts[pi];
  if (p === null) {
    for (let k = at; k <= comps.length; k++) if (matchFrom(parts, pi + 1, comps, k)) return true;
    return false;
  }
  return at < comps.length && p!.test(comps[at]!) && matchFrom(parts, pi + 1, comps, at + 1);
}

/** Whether `path` (`/dir/name`) matches, as restic's filter.Match decides. */
export function matchesPath(p: PathPattern, path: string): boolean {
  const comps = path.split('/').filter((c) => c !== '');
  if (p.parts.length === 0) return true;
  if (p.absolute) return matchFrom(p.parts, 0, comps, 0);
  for (let at = 0; at < comps.length; at++) if (matchFrom(p.parts, 0, comps, at)) return true;
  return false;
}
