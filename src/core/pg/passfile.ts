import { storageError } from '../errors';
import type { ConnParams } from './params';

/** Splits a ~/.pgpass line on unescaped colons; `\:` and `\\` are literal. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) cur += line[++i];
    else if (ch === ':') { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The password ~/.pgpass gives for host:port:database:user (first matching line wins, `*` matches anything). */
export function pgpassLookup(text: string, host: string, port: number, database: string, user: string): string | undefined {
  // libpq matches a socket directory (or no host) as "localhost".
  const h = host.startsWith('/') ? 'localhost' : host;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const f = fields(raw);
    if (f.length < 5) continue;
    const want = [h, String(port), database, user];
    if (want.every((w, i) => f[i] === '*' || f[i] === w)) return f.slice(4).join(':');
  }
  return undefined;
}

const SERVICE_KEYS: Record<string, keyof ConnParams> = {
  host: 'host', hostaddr: 'host', port: 'port', dbname: 'database', user: 'user', password: 'password',
  sslmode: 'sslmode', sslrootcert: 'sslrootcert', application_name: 'applicationName',
  connect_timeout: 'connectTimeout', options: 'options',
};

/** The parameters of `[name]` in a pg_service.conf text, or undefined when the file has no such section. */
export function serviceLookup(text: string, name: string, file: string): ConnParams | undefined {
  let inSection = false;
  let found = false;
  const out: ConnParams = {};
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const sec = /^\[(.*)\]$/.exec(line);
    if (sec) { inSection = sec[1] === name; found ||= inSection; continue; }
    if (!inSection) continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw storageError('BadInput', `${file} line ${n + 1} is not "key=value"; fix the service file.`);
    const k = line.slice(0, eq).trim();
    const v = line.slice(eq + 1).trim();
    const key = SERVICE_KEYS[k];
    if (!key) continue; // keywords this client does not use (e.g. gssencmode) are ignored, as documented
    (out as Record<string, unknown>)[key] = key === 'port' || key === 'connectTimeout' ? Number(v) : v;
  }
  return found ? out : undefined;
}
