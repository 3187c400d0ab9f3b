import type { Layer } from '../../core/codec/api';

// The codec itself is reached through ../lazy (codec()); these two name helpers stay here so
// the tree and the language lookup never load the crypto bundle.

/** Layers a new file gets from its name alone (`x.json.gz.age` -> age over gzip). */
export function layersFromName(name: string): Layer[] {
  const layers: Layer[] = [];
  let rest = name;
  for (;;) {
    if (/\.age$/i.test(rest)) layers.push({ kind: 'age' });
    else if (/\.gz$/i.test(rest)) layers.push({ kind: 'gzip' });
    else break;
    rest = rest.replace(/\.[^.]+$/, '');
  }
  return layers;
}

/** `config.json.gz.age` -> `config.json`: the name whose language the editor should use. */
export function innerName(name: string): string {
  return name.replace(/(\.(gz|age))+$/i, '') || name;
}
