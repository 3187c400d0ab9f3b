// A second PostgreSQL version for the catalog tests: PGlite (PostgreSQL compiled to wasm, from the
// package registry) served over the wire protocol by pglite-socket, with the fixtures it can hold
// (no postgres_fdw or pg_stat_statements: those parts are left out, and the tests say so).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pg } from './pgServer';
import { freePort } from './freePort';

const root = resolve(__dirname, '../..');


/** The fixtures without what PGlite lacks (foreign tables, pg_stat_statements) and without SET ROLE (one shared backend). */
export function pgliteFixtures(): string {
  const sql = readFileSync(join(root, 'test/support/pgFixtures.sql'), 'utf8');
  return sql.split(/;\n/).filter((st) => !/postgres_fdw|pg_stat_statements|loopback|remote_products|SET ROLE|RESET ROLE/.test(st)).join(';\n');
}

export interface Pglite { port: number; version: string; psql(sql: string, tuples?: boolean): string; stop(): void }

export async function startPglite(): Promise<Pglite> {
  const port = await freePort();
  const script = join(root, 'node_modules/@electric-sql/pglite-socket/dist/scripts/server.js');
  const child: ChildProcess = spawn(process.execPath, [script, '-p', String(port), '-m', '5', '-e', 'pg_trgm,btree_gist'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`PGlite did not start within 90 s: ${out}`)), 90_000);
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('listening')) { clearTimeout(timer); ok(); } });
    child.once('exit', (code) => { clearTimeout(timer); fail(new Error(`PGlite exited (${code}): ${out}`)); });
  });
  const run = (sql: string, tuples = true, file?: string) => execFileSync(`${pg.bin}/psql`, ['-X', '-q', '-A', ...(tuples ? ['-t'] : []), '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', ...(file ? ['-f', file] : ['-c', sql])],
    { env: { ...process.env, PGPASSWORD: 'pglite', PGSSLMODE: 'disable' }, encoding: 'utf8', input: '', stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    run('CREATE ROLE si_test');
    execFileSync(`${pg.bin}/psql`, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres'],
      { env: { ...process.env, PGPASSWORD: 'pglite', PGSSLMODE: 'disable' }, input: pgliteFixtures(), stdio: ['pipe', 'ignore', 'pipe'] });
  } catch (e) {
    child.kill();
    throw e;
  }
  const version = run('SHOW server_version').trim();
  return { port, version, psql: (sql, tuples = true) => run(sql, tuples), stop: () => { child.kill(); } };
}
