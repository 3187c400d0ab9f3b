// The throwaway cluster of scripts/pg.sh, as the PostgreSQL tests see it: connection facts from SI_PG_*,
// sessions as the test role, and psql as the independent oracle.
import { execFileSync } from 'node:child_process';
import { resolveConnection } from '../../src/core/pg/config';
import type { ConnParams } from '../../src/core/pg/params';
import { PgSession, type SessionOptions } from '../../src/core/pg/session';

const env = process.env;
/** Why the PostgreSQL tests cannot run, or undefined when the cluster is up. */
export const pgSkip = env.SI_PG_PORT ? undefined : 'no PostgreSQL cluster: run under `bash scripts/pg.sh run ...` (scripts/test.sh does)';

export const pg = {
  host: env.SI_PG_HOST ?? '127.0.0.1',
  port: Number(env.SI_PG_PORT ?? 0),
  ca: env.SI_PG_CA ?? '',
  otherCa: env.SI_PG_OTHER_CA ?? '',
  user: env.SI_PG_USER ?? 'si_test',
  db: env.SI_PG_DB ?? 'si_fixtures',
  password: env.SI_PG_PASSWORD ?? 'si-canary-pg-password-must-never-be-logged',
  adminPassword: env.SI_PG_ADMIN_PASSWORD ?? 'si-canary-pg-admin-must-never-be-logged',
  bin: env.SI_PG_BIN ?? '/usr/lib/postgresql/15/bin',
  data: env.SI_PG_DATA ?? '',
};

/** Connection parameters for the test role over verified TLS. */
export function testParams(over: ConnParams = {}): ConnParams {
  return { host: pg.host, port: pg.port, database: pg.db, user: pg.user, sslmode: 'verify-full', sslrootcert: pg.ca, ...over };
}

/** A session as the test role, with PG* variables of the test process kept out of the resolution. */
export async function openSession(opts: SessionOptions = {}, over: ConnParams = {}, password: string | undefined = pg.password): Promise<PgSession> {
  const { conn, password: pw } = resolveConnection(password === undefined ? { params: testParams(over) } : { params: testParams(over), password }, {
    env: {}, home: '/nonexistent', readFile: () => undefined, looseMode: () => undefined });
  return PgSession.open(conn, pw, opts);
}

/** psql's unaligned, tuples-only output of `sql` (or a backslash command) as the test role or the superuser. */
export function psql(sql: string, opts: { admin?: boolean; db?: string; tuples?: boolean } = {}): string {
  const args = ['-X', '-q', '-A', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-h', pg.host, '-p', String(pg.port), '-U', opts.admin ? 'postgres' : pg.user, '-d', opts.db ?? pg.db, '-c', sql];
  if (opts.tuples !== false) args.splice(3, 0, '-t');
  return execFileSync(`${pg.bin}/psql`, args, { env: { ...process.env, PGPASSWORD: opts.admin ? pg.adminPassword : pg.password, PGSSLMODE: 'disable' }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** psql rows split into fields. */
export function psqlRows(sql: string, opts: { admin?: boolean; db?: string } = {}): string[][] {
  return psql(sql, opts).split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** Restarts the cluster (fast shutdown): every open connection is cut, as a server restart does. */
export function restartServer(): void {
  const ctl = [`${pg.bin}/pg_ctl`, '-D', pg.data, '-m', 'fast', '-w', 'restart', '-l', `${pg.data}/../log`];
  const cmd = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...ctl] : ctl;
  execFileSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' });
}

/** Stops or starts the cluster, to see a session through an outage. */
export function serverCtl(action: 'stop' | 'start'): void {
  const ctl = [`${pg.bin}/pg_ctl`, '-D', pg.data, '-m', 'fast', '-w', action, ...(action === 'start' ? ['-l', `${pg.data}/../log`] : [])];
  const cmd = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...ctl] : ctl;
  execFileSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' });
}
