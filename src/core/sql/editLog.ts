import type { Op, Ops } from './protocol';

/** Requests that may change the database; only these are worth replaying. */
export const WRITE_OPS: ReadonlySet<Op> = new Set<Op>(['run', 'insert', 'update', 'delete', 'createIndex', 'dropIndex']);

export interface LoggedEdit<K extends Op = Op> {
  op: K;
  args: Ops[K]['args'];
  /** It failed after changing something (a script that stopped at a later statement). */
  failed: boolean;
}

/**
 * The requests that changed the database since it was last saved, in order. When a cancelled
 * query ends the worker, the last saved bytes are reloaded and these run again, so the user's
 * unsaved edits survive the cancel.
 */
export class EditLog {
  private entries: LoggedEdit[] = [];
  private exportedAt: number | undefined;

  add(entry: LoggedEdit): void {
    this.entries.push(entry);
  }

  get size(): number {
    return this.entries.length;
  }

  all(): readonly LoggedEdit[] {
    return this.entries;
  }

  /** The bytes being saved hold every edit so far. */
  markExported(): void {
    this.exportedAt = this.entries.length;
  }

  /** Those bytes are on disk: their edits no longer need replaying; later ones still do. */
  markSaved(): void {
    this.entries = this.entries.slice(this.exportedAt ?? this.entries.length);
    this.exportedAt = undefined;
  }

  clear(): void {
    this.entries = [];
    this.exportedAt = undefined;
  }
}
