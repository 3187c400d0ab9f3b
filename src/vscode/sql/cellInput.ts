// What a user typed into a grid cell, as the value SQLite stores. Pure, so unit tests reach it.
import type { GridInput, GridKeyPart } from '../webviews/gridProtocol';

export type Affinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC';

/** A declared column type's affinity, by SQLite's rules (section 3.1 of its datatype document). */
export function affinity(declared: string): Affinity {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (/CHAR|CLOB|TEXT/.test(t)) return 'TEXT';
  if (t === '' || t.includes('BLOB')) return 'BLOB';
  if (/REAL|FLOA|DOUB/.test(t)) return 'REAL';
  return 'NUMERIC';
}

export const isNumericAffinity = (a: Affinity): boolean => a === 'INTEGER' || a === 'REAL' || a === 'NUMERIC';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * NULL stays NULL and '' stays ''. Text that reads as a number becomes one in a numeric column,
 * or in an untyped column whose cell held a number; everything else is stored as the text typed.
 * Integers keep every digit (outside 32 bits they travel as {t:'int'}, bound as 64-bit); past 64 bits they become REALs.
 */
export function inputToWire(input: GridInput, column: Affinity): GridKeyPart {
  if (input === null) return null;
  const text = input.text;
  const numeric = isNumericAffinity(column) || (column === 'BLOB' && input.wasNumber === true);
  if (!numeric || column === 'TEXT' || !NUMBER.test(text.trim())) return text;
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) {
    const big = BigInt(t);
    // Past 64 bits SQLite keeps the number as a REAL (the sqlite3 CLI agrees: 1e20 for 20 nines).
    if (big < INT64_MIN || big > INT64_MAX) return Number(t);
    if (column === 'REAL') return Number(t);
    // sql.js binds a JS number outside 32 bits as a double, which an untyped column keeps as a REAL.
    return big >= -(2n ** 31n) && big < 2n ** 31n ? Number(big) : { t: 'int', v: big.toString() };
  }
  const n = Number(t);
  return Number.isFinite(n) ? n : text;
}
