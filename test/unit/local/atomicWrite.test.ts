import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { atomicWrite } from '../../../src/core/local/atomicWrite';
import { PathLocks } from '../../../src/core/local/lock';
import { checkSize, formatBytes } from '../../../src/core/local/limits';

let dir: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('atomic write', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'si-write-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates, replaces, and leaves no temp file', async () => {
    const p = join(dir, 'a.txt');
    await atomicWrite(p, Buffer.from('one'));
    await atomicWrite(p, Buffer.from('two'));
    assert.equal(readFileSync(p, 'utf8'), 'two');
    assert.deepEqual(readdirSync(dir), ['a.txt']);
  });

  it('writes a stream', async () => {
    const p = join(dir, 'stream.txt');
    async function* parts() {
      yield Buffer.from('ab');
      yield Buffer.from('cd');
    }
    await atomicWrite(p, parts());
    assert.equal(readFileSync(p, 'utf8'), 'abcd');
  });

  it("keeps the file's mode", async () => {
    const p = join(dir, 'mode.sh');
    writeFileSync(p, 'x');
    chmodSync(p, 0o751);
    await atomicWrite(p, Buffer.from('y'));
    assert.equal(statSync(p).mode & 0o777, 0o751);
  });

  it('writes through a symlink and keeps the link', async () => {
    const real = join(dir, 'real.txt');
    const link = join(dir, 'link.txt');
    writeFileSync(real, 'old');
    symlinkSync('real.txt', link);
    await atomicWrite(link, Buffer.from('new'));
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(real, 'utf8'), 'new');
  });

  it('exclusive refuses an existing file and changes nothing', async () => {
    const p = join(dir, 'keep.txt');
    writeFileSync(p, 'keep');
    await assert.rejects(atomicWrite(p, Buffer.from('x'), { exclusive: true }), (e) => isStorageError(e) && e.code === 'Exists');
    assert.equal(readFileSync(p, 'utf8'), 'keep');
  });

  it('exclusive never replaces a file another writer creates after the check', async () => {
    const p = join(dir, 'raced.txt');
    const write = atomicWrite(p, Buffer.from('ours'), { exclusive: true, beforeRename: async () => writeFileSync(p, 'theirs') });
    await assert.rejects(write, (e) => isStorageError(e) && e.code === 'Exists');
    assert.equal(readFileSync(p, 'utf8'), 'theirs');
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.raced')), [], 'no temp file left');
  });

  it('a failed stream leaves the old bytes and no temp file', async () => {
    const sub = join(dir, 'failing');
    mkdirSync(sub);
    const p = join(sub, 'f.txt');
    writeFileSync(p, 'old');
    async function* broken() {
      yield Buffer.from('partial');
      throw new Error('source broke');
    }
    await assert.rejects(atomicWrite(p, broken()), /source broke/);
    assert.equal(readFileSync(p, 'utf8'), 'old');
    assert.deepEqual(readdirSync(sub), ['f.txt']);
  });

  it('a folder in the way is a clear BadInput', async () => {
    const d = join(dir, 'adir');
    mkdirSync(d);
    await assert.rejects(atomicWrite(d, Buffer.from('x')), (e) => isStorageError(e) && e.code === 'BadInput' && /folder/.test(e.message));
  });

  it('two concurrent saves to one path do not overlap: the second starts writing after the first is done', async () => {
    const p = join(dir, 'serial.txt');
    const log: string[] = [];
    async function* slow(name: string) {
      log.push(`${name} writing`);
      yield Buffer.from(`${name}-part1 `);
      await sleep(30);
      yield Buffer.from(`${name}-part2`);
      log.push(`${name} written`);
    }
    await Promise.all([atomicWrite(p, slow('first')), atomicWrite(p, slow('second'))]);
    assert.deepEqual(log, ['first writing', 'first written', 'second writing', 'second written']);
    assert.equal(readFileSync(p, 'utf8'), 'second-part1 second-part2');
  });

  it('two concurrent saves to one path serialize: the later wins, both complete', async () => {
    const p = join(dir, 'race.bin');
    const big = (c: string) => Buffer.alloc(2 << 20, c);
    await Promise.all([atomicWrite(p, big('1')), atomicWrite(p, big('2')), atomicWrite(p, big('3'))]);
    assert.ok(readFileSync(p).equals(big('3')));
    assert.ok(!readdirSync(dir).some((n) => n.includes('.si-')));
  });
});

describe('per-path locks', () => {
  it('runs work on one path one at a time, in order, even after a failure', async () => {
    const locks = new PathLocks();
    const log: string[] = [];
    const job = (name: string, ms: number, fail = false) =>
      locks.run('/x/y', async () => {
        log.push(`start ${name}`);
        await sleep(ms);
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
      });
    const results = await Promise.allSettled([job('a', 30, true), job('b', 5), job('c', 1)]);
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    assert.equal(results[0]?.status, 'rejected');
    assert.equal(locks.size, 0, 'the lock table forgets idle paths');
  });

  it('different paths run in parallel', async () => {
    const locks = new PathLocks();
    const log: string[] = [];
    await Promise.all(['/a', '/b'].map((p) => locks.run(p, async () => { log.push(`start ${p}`); await sleep(10); log.push(`end ${p}`); })));
    assert.deepEqual(log.slice(0, 2), ['start /a', 'start /b']);
  });
});

describe('size limits', () => {
  it('TooLarge names the size and the limit', () => {
    assert.throws(() => checkSize(60_000_000, 50_000_000, 'big.json.gz'), (e) =>
      isStorageError(e) && e.code === 'TooLarge' && /60 MB/.test(e.message) && /50 MB/.test(e.message) && /big\.json\.gz/.test(e.message));
    assert.doesNotThrow(() => checkSize(50_000_000, 50_000_000, 'x'));
  });

  it('formats sizes in decimal units', () => {
    assert.deepEqual([0, 999, 1536, 52_428_800, 3e12].map(formatBytes), ['0 B', '999 B', '1.5 KB', '52 MB', '3.0 TB']);
  });
});
