import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under a repository with its hash and mtime: equal before and after means nothing was written. */
export function repoState(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) visit(p);
      else out[relative(root, p)] = `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${st.mtimeMs}`;
    }
  };
  visit(root);
  return out;
}
