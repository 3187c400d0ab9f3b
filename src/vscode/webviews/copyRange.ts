import { storageError } from '../../core/errors';
import type { GridCell } from './gridProtocol';
import type { GridShape, GridSource } from './gridSource';

/** A copy stops here: the clipboard is not a place for a whole big table. */
export const MAX_COPY_CHARS = 16 * 1024 * 1024;
/** Truncated cells fetched whole per copy; past this, previews are copied. */
const MAX_FULL_CELLS = 1000;

/** A cell as spreadsheet-style TSV text (media/gridCells.js does the same for in-grid copies). */
export function tsvField(c: GridCell): string {
  let s: string;
  if (c === null) s = '';
  else if (typeof c === 'number' || typeof c === 'string') s = String(c);
  else if (c.t === 'blob') s = c.hex;
  else s = c.v;
  return /[\t\n\r"]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The rows offset..offset+count, chosen columns, as TSV (values only, as a spreadsheet copies); read page by page from the source. */
export async function copyRange(source: GridSource, shape: GridShape | undefined, req: { offset: number; count: number; columns: number[] }): Promise<{ text: string; rows: number; cut?: string }> {
  if (!shape) throw storageError('BadInput', 'This panel shows no table to copy from.');
  const cols = req.columns.filter((i) => i < shape.columns.length);
  if (cols.length === 0) throw storageError('BadInput', 'Select the cells to copy first.');
  const lines: string[] = [];
  let chars = 0;
  let rows = 0;
  let full = 0;
  for (let at = req.offset; at < req.offset + req.count;) {
    const page = await source.page({ offset: at, limit: Math.min(1000, req.offset + req.count - at) });
    if (page.rows.length === 0) break;
    for (const r of page.rows) {
      const fields: string[] = [];
      for (const i of cols) {
        let c = r.cells[i] ?? null;
        const truncated = typeof c === 'object' && c !== null && (c.t === 'text' || (c.t === 'blob' && c.size * 2 > c.hex.length));
        if (truncated && full < MAX_FULL_CELLS) {
          full++;
          c = await source.fullCell(r.key, shape.columns[i]!.name);
        }
        fields.push(tsvField(c));
      }
      const line = fields.join('\t');
      chars += line.length + 1;
      if (chars > MAX_COPY_CHARS) return { text: lines.join('\n'), rows, cut: `${(MAX_COPY_CHARS / 1024 / 1024).toFixed(0)} MB of text` };
      lines.push(line);
      rows++;
    }
    at += page.rows.length;
  }
  return { text: lines.join('\n'), rows };
}
