/** Connection parameters with libpq's meanings; every field may come from the caller, a service, or PG* variables. */
export interface ConnParams {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  /** Never persisted: from secret storage, PGPASSWORD, a URI (moved to secret storage) or ~/.pgpass. */
  password?: string;
  sslmode?: string;
  sslrootcert?: string;
  applicationName?: string;
  connectTimeout?: number;
  service?: string;
  options?: string;
}

export const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** What libpq's environment variables set (PGPASSWORD is handled with the password lookup). */
export const ENV_KEYS: Record<string, keyof ConnParams> = {
  PGHOST: 'host', PGPORT: 'port', PGDATABASE: 'database', PGUSER: 'user', PGSSLMODE: 'sslmode',
  PGSSLROOTCERT: 'sslrootcert', PGAPPNAME: 'applicationName', PGCONNECT_TIMEOUT: 'connectTimeout', PGOPTIONS: 'options',
};

/** Fills the fields `into` lacks from `from` (libpq: explicit, then service, then environment, then defaults). */
export function fillMissing(into: ConnParams, from: ConnParams): ConnParams {
  const out: ConnParams = { ...into };
  for (const [k, v] of Object.entries(from) as [keyof ConnParams, unknown][]) {
    if (out[k] === undefined && v !== undefined && v !== '') (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
