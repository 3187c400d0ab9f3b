import { storageError } from '../errors';
import type { ConnParams } from './params';

/** Query parameters of a `postgres://` URI that map onto connection parameters. */
const URI_KEYS: Record<string, keyof ConnParams> = {
  host: 'host', port: 'port', dbname: 'database', user: 'user', password: 'password', sslmode: 'sslmode',
  sslrootcert: 'sslrootcert', application_name: 'applicationName', connect_timeout: 'connectTimeout',
  service: 'service', options: 'options',
};

/**
 * Parses `postgres://user:pass@host:port/db?sslmode=...` as libpq does (one host only).
 * The password, if the URI has one, comes back in `password`: the caller moves it to secret storage.
 */
export function parsePgUri(uri: string): ConnParams {
  const m = /^(postgres(?:ql)?):\/\//i.exec(uri.trim());
  if (!m) throw storageError('BadInput', 'A connection URI starts with postgres:// or postgresql://.');
  let url: URL;
  try {
    // The WHATWG parser wants a special-ish scheme to split host and port reliably.
    url = new URL(`http://${uri.trim().slice(m[0].length)}`);
  } catch {
    throw storageError('BadInput', 'The connection URI could not be parsed. Write it as postgres://user@host:5432/database.');
  }
  if (url.host.includes(',')) throw storageError('BadInput', 'URIs with several hosts are not supported; give one host.');
  const out: ConnParams = {};
  if (url.hostname) out.host = decodeURIComponent(url.hostname.replace(/^\[(.*)\]$/, '$1'));
  if (url.port) out.port = Number(url.port);
  if (url.username) out.user = decodeURIComponent(url.username);
  if (url.password) out.password = decodeURIComponent(url.password);
  const db = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (db) out.database = db;
  for (const [k, v] of url.searchParams) {
    const key = URI_KEYS[k];
    if (!key) throw storageError('BadInput', `The URI parameter "${k}" is not supported here.`);
    (out as Record<string, unknown>)[key] = key === 'port' || key === 'connectTimeout' ? Number(v) : v;
  }
  return out;
}

/** The URI with any password removed, safe for settings and logs. */
export function redactUri(uri: string): string {
  return uri.replace(/^(postgres(?:ql)?:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1@');
}
