// The identity a Local read serves and a save checks: which changes it catches, cheap or by hash.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { atomicWrite } from '../../../src/core/local/atomicWrite';
import { changeSince, changeSinceSync, identityFrom, isLocalSaveConflict, localSaveConflict, readWithIdentity, sha256Of } from '../../../src/core/local/identity';

let dir: string;

/** A file with a whole-second time, read as a save would remember it. */
async function readFresh(name: string, text: string) {
  const p = join(dir, name);
  writeFileSync(p, text);
  const t = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  utimesSync(p, t, t);
  return { p, t, ...(await readWithIdentity(p, 1 << 20)) };
}

describe('local file identity', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'si-identity-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an untouched file is unchanged; the identity is of the bytes read', async () => {
    const { p, bytes, identity } = await readFresh('same.txt', 'same\n');
    assert.equal(bytes.toString(), 'same\n');
    assert.equal(identity.sha256, sha256Of(Buffer.from('same\n')));
    assert.equal(await changeSince(p, identity), undefined);
    assert.equal(changeSinceSync(p, identity), undefined);
  });

  it('a rewrite that keeps size and time is caught by the hash only', async () => {
    const { p, t, identity } = await readFresh('kept.txt', 'version one\n');
    writeFileSync(p, 'version two\n');
    utimesSync(p, t, t);
    assert.equal(changeSinceSync(p, identity), undefined, 'the stat cannot see it');
    assert.equal(await changeSince(p, identity), 'changed');
  });

  it('a rename over the file, a deletion and a truncation each count', async () => {
    const a = await readFresh('renamed.txt', 'abc\n');
    writeFileSync(`${a.p}.new`, 'abc\n');
    utimesSync(`${a.p}.new`, a.t, a.t);
    renameSync(`${a.p}.new`, a.p);
    assert.equal(await changeSince(a.p, a.identity), 'replaced', 'same bytes, size and time, another inode');
    const b = await readFresh('deleted.txt', 'gone\n');
    unlinkSync(b.p);
    assert.equal(await changeSince(b.p, b.identity), 'deleted');
    assert.equal(changeSinceSync(b.p, b.identity), 'deleted');
    const c = await readFresh('truncated.txt', 'long enough\n');
    truncateSync(c.p, 0);
    assert.equal(await changeSince(c.p, c.identity), 'changed');
  });

  it('our own write returns the identity the next save must find', async () => {
    const { p } = await readFresh('own.txt', 'zero\n');
    const bytes = Buffer.from('one\n');
    const written = await atomicWrite(p, bytes);
    const next = identityFrom(written, sha256Of(bytes));
    assert.equal(await changeSince(p, next), undefined);
    assert.equal(next.ino, statSync(p, { bigint: true }).ino);
  });

  it('a refusal in checkSync leaves the target and no temp file', async () => {
    const { p, identity } = await readFresh('refused.txt', 'theirs\n');
    writeFileSync(p, 'theirs, changed\n');
    await assert.rejects(
      atomicWrite(p, Buffer.from('mine\n'), {
        checkSync: (target) => {
          const why = changeSinceSync(target, identity);
          if (why) throw localSaveConflict(why, target);
        },
      }),
      (e: unknown) => isLocalSaveConflict(e) && e.code === 'Conflict' && e.detail.reason === 'changed',
    );
    assert.equal(readFileSync(p, 'utf8'), 'theirs, changed\n');
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('.si-')), []);
  });
});
