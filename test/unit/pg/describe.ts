// Parses psql's `\d+ table` (unaligned, tab-separated) into what the tree shows, so psql is the oracle.

export interface Described {
  columns: { name: string; type: string; collation: string; notNull: boolean; default: string }[];
  /** Footer sections ("Indexes", "Check constraints", ...) and their entries, continuation lines joined. */
  sections: Map<string, string[]>;
}

export function parseDescribe(out: string): Described {
  const lines = out.split('\n');
  const columns: Described['columns'] = [];
  const sections = new Map<string, string[]>();
  let i = 2; // title, header
  for (; i < lines.length && lines[i]!.includes('\t'); i++) {
    const [name, type, collation, nullable, def] = lines[i]!.split('\t');
    columns.push({ name: name!, type: type!, collation: collation ?? '', notNull: nullable === 'not null', default: def ?? '' });
  }
  let current: string[] | undefined;
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') continue;
    const head = /^(\S[^:]*):(.*)$/.exec(l);
    if (head && !l.startsWith(' ')) {
      current = [];
      sections.set(head[1]!, current);
      if (head[2]!.trim()) current.push(head[2]!.trim());
    } else if (l.startsWith('      ') && current && current.length) {
      current[current.length - 1] += ` ${l.trim()}`;
    } else if (current) {
      current.push(l.trim());
    }
  }
  return { columns, sections };
}
