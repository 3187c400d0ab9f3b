import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { recordFault } from '../../support/faultLedger';
import { mountTinyDisk, type TinyDisk } from '../local/support/tinyDisk';
import { cli, features, openSession, tempDir } from './support';

let disk: TinyDisk;

describe('a full disk under the SQLite save (512 KiB tmpfs)', () => {
  before(() => {
    disk = mountTinyDisk(512);
  });
  after(() => disk.unmount());

  it('says the disk is full and what to do; the database file is whole and the edits stay unsaved', async () => {
    const db = join(disk.dir, 'features.db');
    copyFileSync(features(tempDir()), db);
    const old = readFileSync(db);
    const s = await openSession(db);
    try {
      await s.call('run', { script: 'CREATE TABLE filler(b BLOB); INSERT INTO filler VALUES (randomblob(600000));' });
      await assert.rejects(s.save(), (e) => isStorageError(e) && e.code === 'Unavailable' && /not enough space on the disk/.test(e.message) && /features\.db was left as it was/.test(e.message));
      const bytesLost = readFileSync(db).equals(old) ? 0 : old.length;
      recordFault({ suite: 'sql.save', fault: 'ENOSPC', operations: 1, bytesLost });
      assert.equal(bytesLost, 0);
      assert.deepEqual(readdirSync(disk.dir), ['features.db'], 'no temp file left');
      assert.equal(cli(db, 'PRAGMA integrity_check'), 'ok');
      assert.equal(s.dirty, true, 'the edits are still there to save elsewhere');
      // Save As Copy to a disk with room keeps them.
      const copy = join(tempDir(), 'copy.db');
      await s.saveCopy(copy);
      assert.equal(cli(copy, 'SELECT length(b) FROM filler'), '600000');
    } finally {
      await s.close();
    }
  });
});
