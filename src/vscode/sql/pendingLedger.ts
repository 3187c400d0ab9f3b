import type { GridKey, GridRow } from '../webviews/gridProtocol';
import type { PendingChanges } from '../webviews/gridSource';

/**
 * What the grids of one SQLite database changed since it was last clean. SQLite applies edits to
 * its in-memory copy at once, so this is only the tally the toolbar shows and the marks on edited
 * cells; the database itself is the truth, and the tally is cleared when it is saved or discarded.
 */
export class PendingLedger {
  /** table \n key JSON -> edited column names */
  private readonly updated = new Map<string, Set<string>>();
  private readonly inserted = new Set<string>();
  private deleted = 0;

  private static id(table: string, key: GridKey): string {
    return `${table}\n${JSON.stringify(key)}`;
  }

  update(table: string, key: GridKey, column: string): void {
    const id = PendingLedger.id(table, key);
    const cols = this.updated.get(id) ?? new Set<string>();
    cols.add(column);
    this.updated.set(id, cols);
  }

  insert(table: string, key: GridKey): void {
    this.inserted.add(PendingLedger.id(table, key));
  }

  delete(table: string, key: GridKey): void {
    const id = PendingLedger.id(table, key);
    this.updated.delete(id);
    // Deleting a row inserted since the last save leaves nothing to save for it.
    if (!this.inserted.delete(id)) this.deleted++;
  }

  clear(): void {
    this.updated.clear();
    this.inserted.clear();
    this.deleted = 0;
  }

  counts(dirty: boolean): PendingChanges {
    let updated = 0;
    for (const id of this.updated.keys()) if (!this.inserted.has(id)) updated++;
    const itemised = updated + this.inserted.size + this.deleted;
    return { updated, inserted: this.inserted.size, deleted: this.deleted, other: dirty && itemised === 0 };
  }

  /** Marks the rows of a page that are new or have edited cells. */
  mark(table: string, columns: string[], rows: GridRow[]): GridRow[] {
    if (this.updated.size === 0 && this.inserted.size === 0) return rows;
    return rows.map((r) => {
      const id = PendingLedger.id(table, r.key);
      const cols = this.updated.get(id);
      const out: GridRow = { ...r };
      if (this.inserted.has(id)) out.inserted = true;
      if (cols) out.changed = columns.flatMap((c, i) => (cols.has(c) ? [i] : []));
      return out;
    });
  }
}
