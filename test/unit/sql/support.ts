import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqlSession } from '../../../src/core/sql/host';

export const SQLITE3 = '/usr/bin/sqlite3';
const root = resolve(__dirname, '../../..');
export const WASM = join(root, 'node_modules/sql.js/dist/sql-wasm.wasm');
export const FEATURES_SQL = join(__dirname, 'fixtures/features.sql');

/** A temp folder removed when the test process exits. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'si-sql-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Builds a database with the real sqlite3 CLI from SQL text. */
export function buildDb(path: string, sql: string): string {
  execFileSync(SQLITE3, [path], { input: sql });
  return path;
}

export function features(dir: string): string {
  return buildDb(join(dir, 'features.db'), readFileSync(FEATURES_SQL, 'utf8'));
}

/** Rows as the CLI reports them (`sqlite3 -json`). */
export function cliJson(db: string, sql: string): Record<string, unknown>[] {
  const out = execFileSync(SQLITE3, ['-json', db, sql], { encoding: 'utf8' });
  return out.trim() === '' ? [] : (JSON.parse(out) as Record<string, unknown>[]);
}

export function cli(db: string, sql: string): string {
  return execFileSync(SQLITE3, [db, sql], { encoding: 'utf8' }).trim();
}

/** A session whose worker runs the TypeScript entry through tsx. */
export function openSession(path: string, load?: () => Promise<Uint8Array>): Promise<SqlSession> {
  return SqlSession.open({
    workerPath: join(root, 'test/support/tsWorker.mjs'),
    wasmPath: WASM,
    workerData: { tsEntry: join(root, 'src/core/sql/worker.ts') },
    ...(load ? { load } : { path }),
    name: path.split('/').pop() ?? path,
  });
}

/** A WAL database whose last commits are only in its -wal (the writer did not checkpoint on close). */
export function walDb(dir: string, name = 'w.db'): string {
  const db = join(dir, name);
  execFileSync(SQLITE3, [db, '.dbconfig no_ckpt_on_close on', 'PRAGMA journal_mode=WAL;', 'CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);',
    "INSERT INTO t VALUES (1, 'one'), (2, 'two');", "UPDATE t SET v = 'TWO' WHERE id = 2;", "INSERT INTO t SELECT value + 2, hex(randomblob(300)) FROM generate_series(1, 50);"], { stdio: 'pipe' });
  return db;
}
