import { storageError } from '../errors';

/** The 16-byte magic every SQLite 3 database starts with. */
export const SQLITE_MAGIC = 'SQLite format 3\0';
const AGE_MAGIC = 'age-encryption.org/v1\n';
const AGE_ARMOR = '-----BEGIN AGE ENCRYPTED FILE-----';

export interface HeaderInfo {
  pageSize: number;
  /** Pages the header claims (0 when the header predates the in-header size field). */
  pageCount: number;
  /** Text encoding: 1 UTF-8, 2 UTF-16le, 3 UTF-16be. */
  encoding: number;
  walMode: boolean;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(length, Math.max(0, bytes.length - start))).toString('latin1');
}

/** True when the bytes start with the SQLite magic. */
export function hasSqliteHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 16 && ascii(bytes, 0, 16) === SQLITE_MAGIC;
}

/**
 * Checks the 100-byte header before sql.js sees the bytes, so a wrong or damaged file gets
 * a sentence that says what it is and what to do, instead of "file is not a database".
 */
export function checkHeader(bytes: Uint8Array, name = 'The file'): HeaderInfo {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('checkHeader: bytes must be a Uint8Array');
  if (bytes.length === 0) {
    throw storageError('BadInput', `${name} is empty, so it is not a SQLite database. Choose a database file, or create one with the sqlite3 CLI.`);
  }
  const start = ascii(bytes, 0, 40);
  if (start.startsWith(AGE_MAGIC) || start.startsWith(AGE_ARMOR)) {
    throw storageError('BadInput', `${name} is age-encrypted. Open it through the Local or S3 view ("Open as Database") so the pipeline decrypts it with your identity.`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw storageError('BadInput', `${name} is gzip-compressed. Open it through the Local or S3 view ("Open as Database") so the pipeline decompresses it.`);
  }
  if (!hasSqliteHeader(bytes)) {
    if (bytes.length >= 16 && looksRandom(bytes.subarray(0, Math.min(bytes.length, 4096)))) {
      throw storageError('BadInput', `${name} is not a SQLite database: it has no "SQLite format 3" header and its bytes look random, as if encrypted by a tool other than age (for example SQLCipher). Decrypt it with that tool first.`);
    }
    throw storageError('BadInput', `${name} is not a SQLite database: it does not start with the "SQLite format 3" header. Choose a SQLite 3 file.`);
  }
  if (bytes.length < 100) {
    throw storageError('Integrity', `${name} is truncated: it has ${bytes.length} bytes, less than the 100-byte SQLite header. Restore it from a backup.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rawPageSize = view.getUint16(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw storageError('Integrity', `${name} has a damaged header (page size ${rawPageSize} is not a power of two between 512 and 65536). Restore it from a backup.`);
  }
  const changeCounter = view.getUint32(24);
  const sizeValidFor = view.getUint32(92);
  const headerPages = changeCounter === sizeValidFor ? view.getUint32(28) : 0;
  if (bytes.length % pageSize !== 0 || (headerPages > 0 && headerPages * pageSize > bytes.length)) {
    const expected = headerPages > 0 ? `${headerPages * pageSize} bytes (${headerPages} pages of ${pageSize})` : `a multiple of the page size ${pageSize}`;
    throw storageError('Integrity', `${name} is truncated or damaged: it has ${bytes.length} bytes, but its header says ${expected}. Restore it from a backup.`);
  }
  return { pageSize, pageCount: headerPages, encoding: view.getUint32(56), walMode: bytes[18] === 2 || bytes[19] === 2 };
}

/** High byte entropy over the sample: encrypted data, not a text or a structured file. */
function looksRandom(sample: Uint8Array): boolean {
  if (sample.length < 256) return false;
  const counts = new Array<number>(256).fill(0);
  for (const b of sample) counts[b] = (counts[b] ?? 0) + 1;
  let entropy = 0;
  for (const c of counts) {
    if (c === 0) continue;
    const p = c / sample.length;
    entropy -= p * Math.log2(p);
  }
  return entropy > 7.5;
}
