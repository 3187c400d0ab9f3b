import { connect } from 'node:net';
import { join } from 'node:path';

/** PostgreSQL's CancelRequest code (protocol 1234.5678). */
const CANCEL_CODE = 80877102;

/**
 * Sends the protocol's CancelRequest for a backend, as libpq's PQcancel does: a new socket carrying
 * the backend's pid and secret key. The server answers nothing; the running statement fails with 57014.
 */
export function sendCancel(host: string, port: number, pid: number, secretKey: number, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = host.startsWith('/') ? connect({ path: join(host, `.s.PGSQL.${port}`) }) : connect({ host, port });
    const buf = Buffer.alloc(16);
    buf.writeInt32BE(16, 0);
    buf.writeInt32BE(CANCEL_CODE, 4);
    buf.writeInt32BE(pid, 8);
    buf.writeInt32BE(secretKey, 12);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('cancel request timed out')); }, timeoutMs);
    sock.once('connect', () => sock.end(buf));
    sock.once('close', () => { clearTimeout(timer); resolve(); });
    sock.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
}
