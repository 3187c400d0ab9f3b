/**
 * What a file's name says about its codec layers. Tiny and dependency-free, so the tree, the
 * file systems and the language lookup use it without loading the codec bundle; the codec's
 * detectLayers (magic bytes) stays the authority once bytes are read.
 */
import type { Layer } from './codec/api';

/** The name under the codec suffixes: `config.json.gz.age` -> `config.json`. */
export function innerName(name: string): string {
  let inner = name;
  for (;;) {
    const m = /\.(gz|age)$/i.exec(inner);
    if (m === null || m.index === 0 || inner.slice(0, m.index).endsWith('/')) return inner;
    inner = inner.slice(0, m.index);
  }
}

/** Whether a name reads as a SQLite database once its codec layers are peeled: `shop.db.gz.age`. */
export function looksLikeSqlite(name: string): boolean {
  return /\.(db|sqlite|sqlite3|db3|s3db)$/i.test(innerName(name));
}

/** Layers a new file gets from its name alone, outermost first: `x.json.gz.age` is age over gzip. */
export function layersFromName(name: string): Layer[] {
  const inner = innerName(name);
  return name
    .slice(inner.length)
    .split('.')
    .filter(Boolean)
    .reverse()
    .map((suffix) => ({ kind: suffix.toLowerCase() === 'age' ? 'age' : 'gzip' }));
}
