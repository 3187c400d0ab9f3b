import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { storageError } from '../errors';
import type { ResolvedConn } from './config';

/**
 * node-postgres `ssl` options for a libpq sslmode. verify-ca checks the chain only; verify-full also the
 * host name. As in libpq, `require` with an explicit root certificate verifies the chain too.
 */
export function tlsOptions(c: ResolvedConn): false | ConnectionOptions {
  if (c.sslmode === 'disable') return false;
  const explicitCa = c.sslrootcert !== undefined;
  const mode = c.sslmode === 'require' && explicitCa ? 'verify-ca' : c.sslmode;
  if (mode === 'require' || mode === 'prefer') return { rejectUnauthorized: false };
  const caFile = c.sslrootcert ?? join(homedir(), '.postgresql', 'root.crt');
  let ca: string | undefined;
  if (existsSync(caFile)) ca = readFileSync(caFile, 'utf8');
  else if (explicitCa) throw storageError('NotFound', `The CA file ${caFile} does not exist. Pick the CA certificate that signed the server's certificate.`);
  const opts: ConnectionOptions = { rejectUnauthorized: true };
  if (ca !== undefined) opts.ca = ca; // else the system's roots, as managed services use public CAs
  if (mode === 'verify-ca') opts.checkServerIdentity = () => undefined;
  return opts;
}
