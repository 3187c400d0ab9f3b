import type { Cell, CursorInfo, Filter, PlanNode, RowsPage, StatementResult, WireValue } from '../../lazy/sql';

/** Messages from the extension to the grid webview. */
export type ToGrid =
  | { type: 'table'; title: string; info: CursorInfo; pageSize: number; readOnly: boolean; sort?: { column: string; desc: boolean }; filters: Filter[] }
  | { type: 'rows'; page: RowsPage; generation: number }
  | { type: 'results'; title: string; results: StatementResult[] }
  | { type: 'plan'; title: string; sql: string; nodes: PlanNode[] }
  | { type: 'cell'; key: WireValue[]; column: string; value: Cell }
  | { type: 'error'; message: string };

/** Messages from the grid webview to the extension. */
export type FromGrid =
  | { type: 'ready' }
  | { type: 'page'; offset: number; limit: number; generation: number }
  | { type: 'sort'; column: string; desc: boolean }
  | { type: 'clearSort' }
  | { type: 'filter'; filters: Filter[] }
  | { type: 'showAll'; key: WireValue[]; column: string }
  /** The whole value to a file: "show all" stays bounded, so a long value is saved instead. */
  | { type: 'saveValue'; key: WireValue[]; column: string }
  | { type: 'update'; key: WireValue[]; column: string; value: WireValue }
  | { type: 'insert'; values: Record<string, WireValue> }
  | { type: 'delete'; key: WireValue[] };

const TYPES = new Set(['ready', 'page', 'sort', 'clearSort', 'filter', 'showAll', 'saveValue', 'update', 'insert', 'delete']);

/** Webview input is untrusted: only known message shapes pass. */
export function isFromGrid(m: unknown): m is FromGrid {
  return typeof m === 'object' && m !== null && TYPES.has((m as { type?: unknown }).type as string);
}
