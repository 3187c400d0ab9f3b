// Child process for the crash-safety test: saves two large contents over one file, alternately,
// until it is killed. Bundled by the test with esbuild so each start costs little.
import { atomicWrite } from '../../../../src/core/local/atomicWrite';
import { writeFile } from 'node:fs/promises';

const [target, sizeArg, mode] = process.argv.slice(2);
if (!target || !sizeArg) throw new Error('usage: saveLoop TARGET SIZE [naive]');
const size = Number(sizeArg);
const contents = [Buffer.alloc(size, 'A'), Buffer.alloc(size, 'B')];

async function main(): Promise<void> {
  process.stdout.write('ready\n');
  for (let i = 1; ; i++) {
    const data = contents[i % 2] as Buffer;
    // "naive" shows the test can fail: an in-place rewrite is torn by a kill.
    if (mode === 'naive') await writeFile(target as string, data);
    else await atomicWrite(target as string, data);
  }
}
void main();
