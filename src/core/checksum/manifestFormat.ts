import { storageError } from '../errors';

/**
 * The line format of coreutils `sha256sum` and of `b3sum`: `<hex>  <name>` (or ` *<name>`
 * for binary mode). A name holding `\` or a newline is escaped and the line starts with `\`.
 * coreutils 9.1 also escapes carriage return; b3sum 1.2 does not, so writing follows each tool.
 */
export type ManifestFlavor = 'coreutils' | 'b3sum';

export interface ManifestEntry {
  /** Path relative to the manifest's folder, `/`-separated, exactly as the tool would open it. */
  name: string;
  hex: string;
  /** 0-based line in the manifest it was read from. */
  line?: number;
}

export function formatLine(entry: ManifestEntry, flavor: ManifestFlavor): string {
  if (!/^[0-9a-f]+$/.test(entry.hex)) throw new RangeError(`entry.hex: expected lowercase hex, got "${entry.hex}"`);
  const special = flavor === 'coreutils' ? /[\\\n\r]/ : /[\\\n]/;
  if (!special.test(entry.name)) return `${entry.hex}  ${entry.name}\n`;
  let name = entry.name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  if (flavor === 'coreutils') name = name.replace(/\r/g, '\\r');
  return `\\${entry.hex}  ${name}\n`;
}

export function formatManifest(entries: readonly ManifestEntry[], flavor: ManifestFlavor): string {
  return entries.map((e) => formatLine(e, flavor)).join('');
}

/** Parses a manifest written by us, sha256sum or b3sum; names the first bad line. */
export function parseManifest(text: string, source = 'the manifest'): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    if (raw === '' || raw.startsWith('#')) return;
    const escaped = raw.startsWith('\\');
    const line = escaped ? raw.slice(1) : raw;
    const m = /^([0-9a-fA-F]+) [ *](.*)$/s.exec(line);
    if (!m || m[1] === undefined || m[2] === undefined || m[2] === '') {
      throw storageError('BadInput', `Line ${i + 1} of ${source} is not in the "<hex>  <name>" format of sha256sum/b3sum. Fix or regenerate the manifest.`);
    }
    const name = escaped ? unescapeName(m[2], i + 1, source) : m[2];
    out.push({ hex: m[1].toLowerCase(), name, line: i });
  });
  return out;
}

function unescapeName(s: string, lineNo: number, source: string): string {
  return s.replace(/\\(.?)/gs, (_all, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    if (c === 'r') return '\r';
    throw storageError('BadInput', `Line ${lineNo} of ${source} has an unknown escape "\\${c}". Fix or regenerate the manifest.`);
  });
}
