import { storageError } from '../errors';

/**
 * SQLite's write-ahead log, read the way SQLite's own recovery reads it: a 32-byte header,
 * then frames of a 24-byte header and one page. A frame counts only when its salts match the
 * header and its running checksum is right; the log ends at the first frame that fails, and
 * only frames up to the last commit frame (one whose "database size" field is set) are part of
 * the database. Anything after that is a transaction that never committed.
 */
const WAL_HEADER = 32;
const FRAME_HEADER = 24;
const MAGIC_LE = 0x377f0682;
const MAGIC_BE = 0x377f0683;
const VERSION = 3007000;

export interface WalScan {
  pageSize: number;
  /** Valid frames (committed or not). */
  validFrames: number;
  /** Frames up to and including the last commit frame: the ones that are part of the database. */
  committedFrames: number;
  /** Pages the database has after the last commit (0 when nothing committed). */
  dbPages: number;
  /** Page number -> byte offset of its newest committed copy in the log. */
  pages: Map<number, number>;
}

/** Adds 32-bit words to the running pair the way SQLite's walChecksumBytes does. */
function checksum(view: DataView, start: number, length: number, littleEndian: boolean, s: [number, number]): void {
  let s0 = s[0];
  let s1 = s[1];
  for (let i = start; i < start + length; i += 8) {
    s0 = (s0 + view.getUint32(i, littleEndian) + s1) >>> 0;
    s1 = (s1 + view.getUint32(i + 4, littleEndian) + s0) >>> 0;
  }
  s[0] = s0;
  s[1] = s1;
}

/** Scans a log; an empty, short or foreign file has no valid frames (as SQLite treats it). */
export function scanWal(wal: Uint8Array): WalScan {
  const none: WalScan = { pageSize: 0, validFrames: 0, committedFrames: 0, dbPages: 0, pages: new Map() };
  if (wal.length < WAL_HEADER) return none;
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = view.getUint32(0);
  if (magic !== MAGIC_LE && magic !== MAGIC_BE) return none;
  // The low bit of the magic says in which byte order the checksums were computed.
  const le = magic === MAGIC_LE;
  const pageSize = view.getUint32(8);
  if (view.getUint32(4) !== VERSION || pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return none;
  const s: [number, number] = [0, 0];
  checksum(view, 0, 24, le, s);
  if (s[0] !== view.getUint32(24) || s[1] !== view.getUint32(28)) return none;
  const salt1 = view.getUint32(16);
  const salt2 = view.getUint32(20);
  const scan: WalScan = { ...none, pageSize };
  const pending = new Map<number, number>();
  const frameSize = FRAME_HEADER + pageSize;
  for (let at = WAL_HEADER; at + frameSize <= wal.length; at += frameSize) {
    const pageNo = view.getUint32(at);
    if (pageNo === 0 || view.getUint32(at + 8) !== salt1 || view.getUint32(at + 12) !== salt2) break;
    checksum(view, at, 8, le, s);
    checksum(view, at + FRAME_HEADER, pageSize, le, s);
    if (s[0] !== view.getUint32(at + 16) || s[1] !== view.getUint32(at + 20)) break;
    scan.validFrames++;
    pending.set(pageNo, at + FRAME_HEADER);
    const commitPages = view.getUint32(at + 4);
    if (commitPages !== 0) {
      for (const [p, off] of pending) scan.pages.set(p, off);
      pending.clear();
      scan.committedFrames = scan.validFrames;
      scan.dbPages = commitPages;
    }
  }
  return scan;
}

/**
 * The database as SQLite would see it: the main file with the log's committed pages on top,
 * cut or grown to the size the last commit gives. Reuses `main`'s buffer when it is big enough.
 */
export function applyWal(main: Uint8Array, wal: Uint8Array, name = 'The database'): { bytes: Uint8Array; scan: WalScan } {
  const scan = scanWal(wal);
  if (scan.committedFrames === 0) return { bytes: main, scan };
  const mainPageSize = main.length >= 100 ? pageSizeOf(main) : scan.pageSize;
  if (mainPageSize !== scan.pageSize) {
    throw storageError('Integrity', `${name}-wal has pages of ${scan.pageSize} bytes but ${name} has pages of ${mainPageSize}, so its committed changes cannot be placed. Open the database once with the sqlite3 CLI (it checkpoints or rejects the log), then open it here again.`);
  }
  const size = scan.dbPages * scan.pageSize;
  let out: Uint8Array;
  if (size <= main.length) out = main.subarray(0, size);
  else {
    out = new Uint8Array(size);
    out.set(main);
  }
  for (const [pageNo, off] of scan.pages) {
    if (pageNo > scan.dbPages) continue;
    out.set(wal.subarray(off, off + scan.pageSize), (pageNo - 1) * scan.pageSize);
  }
  return { bytes: out, scan };
}

function pageSizeOf(db: Uint8Array): number {
  const raw = (db[16] ?? 0) * 256 + (db[17] ?? 0);
  return raw === 1 ? 65536 : raw;
}
