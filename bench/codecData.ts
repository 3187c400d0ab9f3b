// Synthetic JSON-log data for the codec bench: varied enough that gzip ratios look like real logs.
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';

const LEVELS = ['debug', 'info', 'info', 'info', 'warn', 'error'];
const PATHS = ['/api/users', '/api/orders', '/health', '/api/items/search', '/login', '/static/app.js'];

/** A deterministic stream of JSON log lines, `total` bytes in blocks of about 1 MiB. */
export function* logBlocks(total: number, seed = 1): Generator<Buffer> {
  let x = seed;
  const rnd = (n: number): number => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x % n;
  };
  let t = Date.UTC(2026, 0, 1);
  let made = 0;
  while (made < total) {
    const lines: string[] = [];
    let size = 0;
    while (size < 1 << 20) {
      t += rnd(50);
      const line = JSON.stringify({
        ts: new Date(t).toISOString(),
        level: LEVELS[rnd(LEVELS.length)],
        path: PATHS[rnd(PATHS.length)],
        status: [200, 200, 200, 201, 304, 404, 500][rnd(7)],
        ms: rnd(900),
        user: `u${rnd(50000)}`,
        req: rnd(2 ** 31).toString(16) + rnd(2 ** 31).toString(16),
      }) + '\n';
      lines.push(line);
      size += line.length;
    }
    const block = Buffer.from(lines.join(''));
    const take = block.subarray(0, Math.min(block.length, total - made));
    made += take.length;
    yield take;
  }
}

/** Writes the file once; later runs reuse it when the size matches. */
export async function ensureLogFile(path: string, total: number): Promise<void> {
  if (existsSync(path) && statSync(path).size === total) return;
  const out = createWriteStream(path);
  for (const block of logBlocks(total)) if (!out.write(block)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}
