/**
 * A value as a grid shows it, the same for every data source (SQLite, PostgreSQL): JSON-safe so it
 * crosses worker and webview boundaries. NULL is `null`, never ''. Integers beyond 2^53 and
 * non-finite reals travel as text; long text and BLOBs arrive as previews with their full size.
 */
export type CellValue =
  | null
  | number
  | string
  | { t: 'int'; v: string }
  | { t: 'real'; v: string }
  | { t: 'text'; v: string; length: number }
  | { t: 'blob'; size: number; hex: string };

/** A value that identifies a row or is written into one; exact, so it can be bound again. */
export type KeyPart = null | number | string | { t: 'int'; v: string } | { t: 'blob'; hex: string };
