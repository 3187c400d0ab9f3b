import assert from 'node:assert/strict';
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { AtomicBatch, atomicWrite } from '../../../src/core/local/atomicWrite';
import { seenTarget } from '../../../src/core/local/identity';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { writeBeside } from '../../../src/core/local/transform';
import { recordFault } from '../../support/faultLedger';
import { mountTinyDisk, type TinyDisk } from './support/tinyDisk';

let disk: TinyDisk;
const OLD = Buffer.alloc(100 * 1024, 'o');
const BIG = Buffer.alloc(300 * 1024, 'n');

/** Bytes of the old file that did not survive: 0 when it reads back whole. */
function lost(path: string, expected: Buffer): number {
  const now = readFileSync(path);
  return now.equals(expected) ? 0 : expected.length;
}

const fullDisk = (e: unknown): boolean =>
  isStorageError(e) && e.code === 'Unavailable' && /not enough space on the disk/.test(e.message) && /left as it was/.test(e.message) && /Free some space/.test(e.message);

describe('a full disk (256 KiB tmpfs) on every local write path', () => {
  before(() => {
    disk = mountTinyDisk(256);
  });
  after(() => disk.unmount());

  it('a save (buffer) that does not fit fails with a clear message; the old file is whole and no temp remains', async () => {
    const p = join(disk.dir, 'doc.bin');
    writeFileSync(p, OLD);
    await assert.rejects(atomicWrite(p, BIG), fullDisk);
    const bytesLost = lost(p, OLD);
    recordFault({ suite: 'local.save', fault: 'ENOSPC', operations: 1, bytesLost });
    assert.equal(bytesLost, 0);
    assert.deepEqual(readdirSync(disk.dir), ['doc.bin']);
  });

  it("a streamed save (what downloads and the CLI's -o write through) that does not fit: the same", async () => {
    const p = join(disk.dir, 'stream.bin');
    writeFileSync(p, OLD);
    async function* chunks() {
      for (let i = 0; i < 10; i++) yield Buffer.alloc(32 * 1024, i);
    }
    await assert.rejects(atomicWrite(p, chunks()), fullDisk);
    const bytesLost = lost(p, OLD);
    recordFault({ suite: 'local.streamedSave', fault: 'ENOSPC', operations: 1, bytesLost });
    assert.equal(bytesLost, 0);
    assert.deepEqual(readdirSync(disk.dir).sort(), ['doc.bin', 'stream.bin']);
  });

  it('a transform beside the original that does not fit keeps the original and leaves no new file', async () => {
    const original = join(disk.dir, 'doc.bin');
    await assert.rejects(writeBeside(original, `${original}.gz`, BIG, async () => true, { deleteOriginal: true }), fullDisk);
    const bytesLost = lost(original, OLD);
    recordFault({ suite: 'local.transform', fault: 'ENOSPC', operations: 1, bytesLost });
    assert.equal(bytesLost, 0);
    assert.deepEqual(readdirSync(disk.dir).sort(), ['doc.bin', 'stream.bin']);
  });

  it("a restore's batch replacing a file that does not fit keeps the old file whole and leaves no temp", async () => {
    const p = join(disk.dir, 'doc.bin');
    const b = new AtomicBatch();
    const f = await b.begin(p, 0o644, await seenTarget(p));
    await assert.rejects(f.write(BIG, 0), fullDisk);
    await b.discard(f);
    await b.finish();
    const bytesLost = lost(p, OLD);
    recordFault({ suite: 'local.restoreBatch', fault: 'ENOSPC', operations: 1, bytesLost });
    assert.equal(bytesLost, 0);
    assert.deepEqual(readdirSync(disk.dir).sort(), ['doc.bin', 'stream.bin']);
  });

  it("a restore's grouped batch: the file that does not fit keeps its old bytes, and a file of its group that fitted is placed whole", async () => {
    const p = join(disk.dir, 'doc.bin');
    const small = join(disk.dir, 'small.txt');
    const b = new AtomicBatch({ exclusive: false, grouped: true });
    const fits = await b.begin(small, 0o644, 'absent');
    await fits.write(Buffer.from('it fits\n'), 0);
    const placed = b.commit(fits, { mode: 0o644 });
    const f = await b.begin(p, 0o644, await seenTarget(p));
    await assert.rejects(f.write(BIG, 0), fullDisk);
    await b.discard(f);
    await b.finish();
    await placed;
    const bytesLost = lost(p, OLD);
    recordFault({ suite: 'local.restoreBatch.grouped', fault: 'ENOSPC', operations: 2, bytesLost });
    assert.equal(bytesLost, 0);
    assert.equal(readFileSync(small, 'utf8'), 'it fits\n');
    assert.deepEqual(readdirSync(disk.dir).sort(), ['doc.bin', 'small.txt', 'stream.bin']);
    unlinkSync(small);
  });

  it('a backup repository file that does not fit: a clear error, no file under its name and no temp', async () => {
    const repo = new LocalBackend(join(disk.dir, 'repo'));
    const name = 'ab'.repeat(32);
    await assert.rejects(repo.write('data', name, BIG), (e: unknown) => isStorageError(e) && e.code === 'Unavailable' && /No space left/.test(e.message) && /Free some disk space/.test(e.message));
    recordFault({ suite: 'backup.repositoryWrite', fault: 'ENOSPC', operations: 1, bytesLost: 0 });
    assert.deepEqual(readdirSync(join(disk.dir, 'repo', 'data', 'ab')), []);
  });
});
