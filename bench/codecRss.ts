// Child process of the codec bench: streams data through encode or decode and prints its peak RSS.
// Usage: node codecRss.js encode <bytes> <recipient> <out> | decode <in> <identity-file>
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { identitiesFromText } from '../src/core/codec/age/keys';
import { decodeStream, encodeStream } from '../src/core/codec/pipeline';
import { primitives, type BackendName } from '../src/core/codec/primitives';
import { logBlocks } from './codecData';

async function main(): Promise<void> {
  const [mode, a, b, c, backend = 'node'] = process.argv.slice(2);
  const p = primitives(backend as BackendName);
  let bytes = 0;
  const count = async function* (input: AsyncIterable<Uint8Array>) {
    for await (const chunk of input) {
      bytes += chunk.length;
      yield chunk;
    }
  };
  if (mode === 'encode') {
    // One 1 MiB block of log lines, sent again and again: the figure is the codec's memory, not the generator's.
    const block = logBlocks(1 << 20).next().value as Buffer;
    const total = Number(a);
    const source = (async function* () {
      for (let sent = 0; sent < total; sent += block.length) yield block;
    })();
    const out = encodeStream(count(source), [{ kind: 'age' }, { kind: 'gzip' }], { recipients: [b as string], backend: p });
    await pipeline(Readable.from(out, { objectMode: false }), createWriteStream(c as string));
  } else {
    const identities = identitiesFromText(readFileSync(b as string, 'utf8'));
    const out = decodeStream(createReadStream(a as string, { highWaterMark: 1 << 20 }), { identities, backend: p });
    for await (const chunk of count(out)) void chunk;
  }
  process.stdout.write(JSON.stringify({ bytes, maxRssKB: process.resourceUsage().maxRSS }) + '\n');
}

void main();
