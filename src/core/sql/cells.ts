import type { CellValue, KeyPart } from '../cellValue';
import type { Value } from './sqlite';

/** A value as the grid shows it (NULL is `null`, never ''); long text and BLOBs as previews. */
export type Cell = CellValue;

/** A value that identifies a row or is written into one; exact, so it can be bound again. */
export type WireValue = KeyPart;

export const TEXT_PREVIEW_CHARS = 500;
export const BLOB_PREVIEW_BYTES = 32;

/** `preview` is a value already shortened by SQL; `length` is the full length when it was text or a BLOB. */
export function toCell(preview: Value, length?: Value): Cell {
  if (preview === null) return null;
  if (typeof preview === 'bigint') {
    return Number.isSafeInteger(Number(preview)) ? Number(preview) : { t: 'int', v: preview.toString() };
  }
  if (typeof preview === 'number') {
    // Non-finite reals cannot go through JSON as numbers.
    return Number.isFinite(preview) ? preview : { t: 'real', v: String(preview) };
  }
  const full = typeof length === 'number' ? length : typeof length === 'bigint' ? Number(length) : undefined;
  if (preview instanceof Uint8Array) {
    return { t: 'blob', size: full ?? preview.length, hex: Buffer.from(preview.subarray(0, BLOB_PREVIEW_BYTES)).toString('hex') };
  }
  if (full !== undefined && full > preview.length) return { t: 'text', v: preview, length: full };
  return preview;
}

export function toWire(v: Value): WireValue {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : { t: 'int', v: v.toString() };
  if (v instanceof Uint8Array) return { t: 'blob', hex: Buffer.from(v).toString('hex') };
  return v;
}

/** Back to a bindable value; checks its input because it comes from a webview. */
export function fromWire(w: unknown, what = 'value'): Value {
  if (w === null || typeof w === 'string') return w;
  if (typeof w === 'number') {
    if (!Number.isFinite(w)) throw new RangeError(`${what} must be a finite number`);
    return w;
  }
  if (typeof w === 'object' && w !== null) {
    const o = w as { t?: unknown; v?: unknown; hex?: unknown };
    if (o.t === 'int' && typeof o.v === 'string' && /^-?\d+$/.test(o.v)) return BigInt(o.v);
    if (o.t === 'blob' && typeof o.hex === 'string' && /^([0-9a-fA-F]{2})*$/.test(o.hex)) return new Uint8Array(Buffer.from(o.hex, 'hex'));
  }
  throw new TypeError(`${what} must be null, a number, a string, {t:'int',v} or {t:'blob',hex}`);
}
