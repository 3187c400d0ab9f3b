import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { storageError } from '../errors';
import { ENV_KEYS, fillMissing, SSL_MODES, type ConnParams, type SslMode } from './params';
import { pgpassLookup, serviceLookup } from './passfile';
import { parsePgUri } from './uri';

/** What the user configured: non-secret fields (settings) plus the password from secret storage. */
export interface PgConnectionInput {
  uri?: string;
  params?: ConnParams;
  /** From the caller's secret storage; wins over PGPASSWORD and ~/.pgpass, as a libpq password parameter does. */
  password?: string;
}

export type PasswordSource = 'secret storage' | 'URI' | 'service file' | 'PGPASSWORD' | 'pgpass' | 'none';

/** Resolved parameters: never contains the password (that is returned beside it, for the pool only). */
export interface ResolvedConn {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: SslMode;
  sslrootcert?: string;
  applicationName: string;
  connectTimeout: number;
  options?: string;
  service?: string;
  passwordSource: PasswordSource;
  /** Things the user should know (an ignored ~/.pgpass with loose permissions). */
  notes: string[];
}

export interface Environment {
  env: NodeJS.ProcessEnv;
  home: string;
  readFile(path: string): string | undefined;
  /** Group/other permission bits of a file, or undefined when it does not exist. */
  looseMode(path: string): boolean | undefined;
}

export const nodeEnvironment = (): Environment => ({
  env: process.env,
  home: homedir(),
  readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
  looseMode: (p) => (existsSync(p) ? (statSync(p).mode & 0o077) !== 0 : undefined),
});

function fromEnv(env: NodeJS.ProcessEnv): ConnParams {
  const out: ConnParams = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') (out as Record<string, unknown>)[key] = key === 'port' || key === 'connectTimeout' ? Number(v) : v;
  }
  return out;
}

function serviceParams(name: string, e: Environment): ConnParams {
  // libpq looks in the user's file first, then the system one.
  const files = [e.env.PGSERVICEFILE ?? join(e.home, '.pg_service.conf'), join(e.env.PGSYSCONFDIR ?? '/etc/postgresql-common', 'pg_service.conf')];
  for (const f of files) {
    const text = e.readFile(f);
    const found = text === undefined ? undefined : serviceLookup(text, name, f);
    if (found) return found;
  }
  throw storageError('NotFound', `No service "${name}" in ${files.join(' or ')}. Add a [${name}] section or pick another service.`);
}

/** Resolves a connection as libpq does: explicit values, then the service, then PG* variables, then defaults. */
export function resolveConnection(input: PgConnectionInput, e: Environment = nodeEnvironment()): { conn: ResolvedConn; password?: string } {
  let p: ConnParams = { ...(input.uri ? parsePgUri(input.uri) : {}) };
  p = fillMissing(p, input.params ?? {});
  const fromUri = p.password !== undefined;
  const service = p.service ?? e.env.PGSERVICE;
  let fromService = false;
  if (service) {
    const s = serviceParams(service, e);
    fromService = p.password === undefined && s.password !== undefined;
    p = fillMissing(p, s);
  }
  p = fillMissing(p, fromEnv(e.env));
  const user = p.user ?? e.env.USER ?? 'postgres';
  const conn: ResolvedConn = {
    host: p.host ?? 'localhost',
    port: p.port ?? 5432,
    database: p.database ?? user,
    user,
    sslmode: checkMode(p.sslmode ?? 'prefer'),
    applicationName: p.applicationName ?? 'Storage Inspector',
    connectTimeout: p.connectTimeout ?? 10,
    passwordSource: 'none',
    notes: [],
  };
  if (!Number.isInteger(conn.port) || conn.port < 1 || conn.port > 65535) throw storageError('BadInput', `The port must be a number from 1 to 65535.`);
  if (p.sslrootcert) conn.sslrootcert = p.sslrootcert;
  if (p.options) conn.options = p.options;
  if (service) conn.service = service;
  let password: string | undefined;
  if (input.password !== undefined) { password = input.password; conn.passwordSource = 'secret storage'; }
  else if (p.password !== undefined) { password = p.password; conn.passwordSource = fromUri ? 'URI' : fromService ? 'service file' : 'PGPASSWORD'; }
  else if (e.env.PGPASSWORD) { password = e.env.PGPASSWORD; conn.passwordSource = 'PGPASSWORD'; }
  else {
    const file = e.env.PGPASSFILE ?? join(e.home, '.pgpass');
    const loose = e.looseMode(file);
    if (loose) conn.notes.push(`${file} is ignored: it is readable by others (libpq requires chmod 0600).`);
    else if (loose === false) {
      password = pgpassLookup(e.readFile(file) ?? '', conn.host, conn.port, conn.database, conn.user);
      if (password !== undefined) conn.passwordSource = 'pgpass';
    }
  }
  return password === undefined ? { conn } : { conn, password };
}

function checkMode(m: string): SslMode {
  if (m === 'allow') return 'prefer'; // TLS first, plain if the server has none: the closest we offer
  if ((SSL_MODES as readonly string[]).includes(m)) return m as SslMode;
  throw storageError('BadInput', `sslmode "${m}" is not one of ${SSL_MODES.join(', ')}.`);
}

/** One line for logs and tooltips: everything but the password. */
export function describeConnection(c: ResolvedConn): string {
  return `${c.user}@${c.host}:${c.port}/${c.database} (sslmode=${c.sslmode}${c.service ? `, service=${c.service}` : ''}, password from ${c.passwordSource})`;
}
