// A small HTTP proxy between an S3 client and the S3 server (moto) that injects network faults
// on the requests a rule matches: a reset in the middle of a body, a 503 SlowDown, a stall past
// the client's timeout, a response lost after the server stored a write, a corrupted body, or
// an error answer of our choosing.
// Requests that no rule matches are forwarded untouched.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultKind =
  /**
   * Forward, send the response head and the first `afterBytes` of its body, then close the
   * connection (a FIN after those bytes, so the client really receives them; a RST would let
   * its kernel discard what it had not read yet).
   */
  | 'reset-response'
  /** Read the first `afterBytes` of the request body, then reset; the server never sees it. */
  | 'reset-request'
  /** Answer 503 SlowDown without forwarding, as S3 does when throttling. */
  | 'slow-down'
  /** Hold the request unanswered (and unforwarded) until the client gives up. */
  | 'stall'
  /** Forward; when the server answers 2xx, reset instead of passing the answer on. */
  | 'drop-response'
  /** Forward, but flip one bit of the response body at `afterBytes` (default: the middle). */
  | 'corrupt-body'
  /** Answer `status` with the S3 error `code` without forwarding (AccessDenied, InternalError...). */
  | 'error-answer';

export interface RequestInfo {
  method: string;
  /** Path and query as the client sent them, e.g. `/bucket/key?uploadId=...`. */
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface FaultRule {
  fault: FaultKind;
  /** Which requests; all of them when absent. */
  match?: (r: RequestInfo) => boolean;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** For the reset and corrupt faults: where in the body (default: half of it, at least 1 byte). */
  afterBytes?: number;
  /** For 'error-answer': the HTTP status (default 500) and the S3 error code (default InternalError). */
  status?: number;
  code?: string;
}

export interface FaultProxy {
  /** The endpoint to give the client instead of the server's. */
  readonly url: string;
  /** Adds a rule; rules are tried in the order they were added. */
  inject(rule: FaultRule): void;
  /** Faults actually injected so far, per kind. */
  readonly injected: Record<FaultKind, number>;
  /** Total requests seen (faulted or not). */
  readonly requests: number;
  /** Drops the rules that did not fire yet. */
  clear(): void;
  close(): Promise<void>;
}

/** Request matchers for the S3 operations, from the method and the query (path style). */
export const op = {
  get: (r: RequestInfo) => r.method === 'GET' && !/[?&](list-type|versions|tagging|uploads?)\b/.test(r.url) && r.url.split('?')[0]!.split('/').length > 2,
  head: (r: RequestInfo) => r.method === 'HEAD',
  list: (r: RequestInfo) => r.method === 'GET' && /[?&](list-type=2|versions)\b/.test(r.url),
  put: (r: RequestInfo) => r.method === 'PUT' && !r.url.includes('uploadId=') && !r.headers['x-amz-copy-source'] && !/[?&]tagging\b/.test(r.url),
  uploadPart: (r: RequestInfo) => r.method === 'PUT' && r.url.includes('uploadId='),
  completeUpload: (r: RequestInfo) => r.method === 'POST' && r.url.includes('uploadId='),
  copy: (r: RequestInfo) => r.method === 'PUT' && r.headers['x-amz-copy-source'] !== undefined,
  delete: (r: RequestInfo) => r.method === 'DELETE' && !r.url.includes('uploadId='),
  tagging: (r: RequestInfo) => /[?&]tagging\b/.test(r.url),
};

const errorXml = (code: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected by the fault proxy</Message><RequestId>fault-proxy</RequestId></Error>`;

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const up = new URL(target);
  const rules: (FaultRule & { left: number })[] = [];
  const injected: Record<FaultKind, number> = { 'reset-response': 0, 'reset-request': 0, 'slow-down': 0, stall: 0, 'drop-response': 0, 'corrupt-body': 0, 'error-answer': 0 };
  const sockets = new Set<Socket>();
  let requests = 0;

  const take = (info: RequestInfo): FaultRule | undefined => {
    const rule = rules.find((r) => r.left > 0 && (r.match ?? (() => true))(info));
    if (!rule) return undefined;
    rule.left--;
    injected[rule.fault]++;
    return rule;
  };

  const forward = (req: http.IncomingMessage, onResponse: (res: http.IncomingMessage) => void, onError: () => void) => {
    const out = http.request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, onResponse);
    out.on('error', onError);
    req.pipe(out);
  };

  const server = http.createServer((req, res) => {
    requests++;
    const info: RequestInfo = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    const rule = take(info);
    const reset = () => req.socket.resetAndDestroy();
    const passOn = (upRes: http.IncomingMessage) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.rawHeaders);
      upRes.pipe(res);
    };
    switch (rule?.fault) {
      case undefined:
        return forward(req, passOn, reset);
      case 'slow-down':
      case 'error-answer': {
        const [status, xml] = rule.fault === 'slow-down' ? [503, errorXml('SlowDown')] : [rule.status ?? 500, errorXml(rule.code ?? 'InternalError')];
        req.resume();
        req.on('end', () => {
          res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
          res.end(req.method === 'HEAD' ? undefined : xml);
        });
        return;
      }
      case 'stall':
        // Read what the client sends so it waits on us, never answer; close() cleans up.
        req.resume();
        return;
      case 'reset-request': {
        const limit = rule.afterBytes ?? Math.max(1, Math.floor(Number(req.headers['content-length'] ?? 2) / 2));
        let seen = 0;
        req.on('data', (c: Buffer) => {
          seen += c.length;
          if (seen >= limit) reset();
        });
        req.on('end', reset);
        return;
      }
      case 'drop-response':
        return forward(
          req,
          (upRes) => {
            const ok = (upRes.statusCode ?? 500) < 300;
            if (!ok) return passOn(upRes);
            upRes.resume();
            upRes.on('end', reset);
          },
          reset,
        );
      case 'reset-response':
      case 'corrupt-body':
        return forward(
          req,
          (upRes) => {
            const total = Number(upRes.headers['content-length'] ?? 0);
            const at = rule.afterBytes ?? Math.max(1, Math.floor(total / 2));
            res.writeHead(upRes.statusCode ?? 502, upRes.rawHeaders);
            let sent = 0;
            upRes.on('data', (c: Buffer) => {
              if (rule.fault === 'corrupt-body') {
                if (at >= sent && at < sent + c.length) {
                  c = Buffer.from(c);
                  c[at - sent]! ^= 0x01;
                }
                sent += c.length;
                res.write(c);
                return;
              }
              if (sent >= at) return;
              const part = c.subarray(0, at - sent);
              sent += part.length;
              res.write(part);
              if (sent >= at) {
                upRes.destroy();
                res.socket?.end();
              }
            });
            upRes.on('end', () => res.end());
          },
          reset,
        );
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    inject: (rule) => void rules.push({ ...rule, left: rule.times ?? 1 }),
    injected,
    get requests() {
      return requests;
    },
    clear: () => void rules.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
