// Child process for the SQLite crash test: saves two versions of one database over its file,
// alternately and conditionally (as the SQL view does), until it is killed.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { readDiskImage } from '../../../src/core/sql/diskImage';
import { saveOver } from '../../../src/core/sql/diskSave';

const [target, a, b, mode] = process.argv.slice(2);
if (!target || !a || !b) throw new Error('usage: sqlSaveLoop TARGET A.db B.db [naive]');
const versions = [readFileSync(a), readFileSync(b)];

async function main(): Promise<void> {
  let state = readDiskImage(target as string, 'target.db').state;
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) {
    // "naive" shows the test can fail: an in-place rewrite of the database is torn by a kill.
    if (mode === 'naive') {
      await writeFile(target as string, versions[i % 2] as Buffer);
      continue;
    }
    // A fresh copy each time: the save sets the journal-mode bytes in the buffer it is given.
    state = await saveOver(state, new Uint8Array(versions[i % 2] as Buffer), 'target.db');
  }
}
void main();
