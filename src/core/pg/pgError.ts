import { isStorageError, StorageError, type ErrorCode } from '../errors';

/** What PostgreSQL said about a failed statement, for an editor to show and underline. */
export interface PgDiagnostics {
  sqlstate?: string;
  detail?: string;
  hint?: string;
  /** 1-based character offset into the statement, as the server reports it. */
  position?: number;
  where?: string;
  constraint?: string;
}

/** A StorageError that also carries the server's DETAIL, HINT and position. */
export class PgError extends StorageError {
  constructor(code: ErrorCode, message: string, readonly diagnostics: PgDiagnostics, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
  }
}

interface RawPgError {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
  constraint?: string;
}

function codeFor(state: string): ErrorCode {
  if (state === '28P01') return 'WrongKey';
  if (state === '42501' || state === '25006' || state.startsWith('28')) return 'NoPermission';
  if (state === '57014') return 'Cancelled';
  if (state === '3D000' || state === '42P01' || state === '42883' || state === '3F000') return 'NotFound';
  if (state.startsWith('23')) return 'Integrity';
  if (state === '40001' || state === '40P01' || state === '55P03') return 'Conflict';
  if (state.startsWith('08') || state.startsWith('57') || state.startsWith('53')) return 'Unavailable';
  return 'BadInput';
}

/** Where a connection-level failure leaves the user, and what to do about it. */
function networkMessage(e: { code?: string; message?: string }, where: string): [ErrorCode, string] | undefined {
  const m = e.message ?? '';
  if (e.code === 'ECONNREFUSED') return ['Unavailable', `Nothing answers at ${where}: is the server running, and is that the right host and port?`];
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return ['Unavailable', `The host of ${where} could not be resolved. Check the host name.`];
  if (e.code === 'ETIMEDOUT' || /timeout expired|Connection terminated due to connection timeout/i.test(m))
    return ['Unavailable', `${where} did not answer in time. Check the host, the port and any firewall, or raise connect_timeout.`];
  if (/does not support SSL/i.test(m)) return ['Unavailable', `${where} does not accept TLS connections. Use sslmode=disable only if the network is trusted.`];
  if (/certificate|self[- ]signed|altname|UNABLE_TO_VERIFY|CERT_/i.test(`${e.code ?? ''} ${m}`))
    return ['Integrity', `The server's TLS certificate at ${where} could not be verified (${m}). Pick the CA file that signed it, or use sslmode=verify-ca if only the host name differs.`];
  if (/Connection terminated|ECONNRESET|EPIPE|terminating connection|server closed the connection/i.test(`${e.code ?? ''} ${m}`))
    return ['Unavailable', `The connection to ${where} was closed by the server or the network (${m}). Try again: a new connection is made.`];
  return undefined;
}

/**
 * Maps whatever node-postgres threw to a PgError with a sentence that says what to do.
 * `where` names the server (user@host:port/db); it never contains a password.
 */
export function toPgError(e: unknown, where: string, timeoutMs?: number): StorageError {
  if (isStorageError(e)) return e; // already says what happened (a Conflict, a PgError)
  const raw = (typeof e === 'object' && e !== null ? e : { message: String(e) }) as RawPgError;
  const state = raw.code && /^[0-9A-Z]{5}$/.test(raw.code) ? raw.code : undefined;
  const diag: PgDiagnostics = {};
  if (state) diag.sqlstate = state;
  if (raw.detail) diag.detail = raw.detail;
  if (raw.hint) diag.hint = raw.hint;
  if (raw.position) diag.position = Number(raw.position);
  if (raw.where) diag.where = raw.where;
  if (raw.constraint) diag.constraint = raw.constraint;
  if (!state) {
    if (/client password must be a string|password authentication.*no password|SASL: SCRAM-SERVER-FIRST-MESSAGE/i.test(raw.message ?? ''))
      return new PgError('WrongKey', `${where} asks for a password and none was given. Set the password for this connection, or add it to ~/.pgpass (mode 0600).`, diag, e);
    const net = networkMessage(raw, where);
    if (net) return new PgError(net[0], net[1], diag, e);
    return new PgError('Unavailable', `${where}: ${raw.message ?? 'unknown error'}`, diag, e);
  }
  let msg = raw.message ?? 'unknown error';
  if (state === '28P01') msg = `PostgreSQL refused the password for ${where}. Set the right password for this connection.`;
  else if (state === '57014' && /statement timeout/.test(msg))
    return new PgError('Unavailable', `The statement ran longer than the statement timeout${timeoutMs ? ` (${timeoutMs} ms)` : ''} and the server stopped it. Raise the timeout setting or make the statement cheaper.`, diag, e);
  else if (state === '57014') msg = 'The statement was cancelled.';
  else if (state === '25006') msg = `${msg}: this connection is read-only. Edit it to allow changes, or use another connection.`;
  else if (state === '42501') msg = `${msg}. Ask the owner for the privilege (GRANT), or connect as another role.`;
  const parts = [msg, diag.detail && `DETAIL: ${diag.detail}`, diag.hint && `HINT: ${diag.hint}`].filter(Boolean);
  return new PgError(codeFor(state), parts.join('\n'), diag, e);
}

/** True for failures after which a fresh connection may succeed (server restart, dropped socket). */
export function isConnectionLoss(e: unknown): boolean {
  if (!(e instanceof PgError)) return false;
  const s = e.diagnostics.sqlstate;
  if (s) return s === '57P01' || s === '57P02' || s === '57P03' || s.startsWith('08');
  return e.code === 'Unavailable' && /closed by the server|Nothing answers/.test(e.message);
}
