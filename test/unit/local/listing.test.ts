import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { listPage, type ListCursor } from '../../../src/core/local/listing';
import type { LocalEntry } from '../../../src/core/local/entry';

let base: string;
const fresh = (name: string): string => {
  const d = join(base, name);
  mkdirSync(d);
  return d;
};

async function listAll(dir: string, pageSize: number): Promise<{ entries: LocalEntry[]; pages: number }> {
  const entries: LocalEntry[] = [];
  let cursor: ListCursor | undefined;
  let pages = 0;
  do {
    const page = await listPage(dir, cursor ? { pageSize, cursor } : { pageSize });
    assert.ok(page.entries.length <= pageSize, 'a page never exceeds its size');
    entries.push(...page.entries);
    cursor = page.next;
    pages++;
  } while (cursor);
  return { entries, pages };
}

describe('paged listing', () => {
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'si-list-'));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('a small folder comes back folders first, then by name (numeric aware)', async () => {
    const d = fresh('small');
    for (const f of ['b.txt', 'a10.txt', 'a2.txt']) writeFileSync(join(d, f), f);
    for (const f of ['zdir', 'adir']) mkdirSync(join(d, f));
    const { entries, next } = await listPage(d);
    assert.equal(next, undefined);
    assert.deepEqual(entries.map((e) => e.name), ['adir', 'zdir', 'a2.txt', 'a10.txt', 'b.txt']);
    assert.deepEqual(entries.map((e) => e.kind), ['folder', 'folder', 'file', 'file', 'file']);
  });

  it('gives size and modified time', async () => {
    const d = fresh('meta');
    writeFileSync(join(d, 'f'), 'x'.repeat(1234));
    utimesSync(join(d, 'f'), 1_700_000_000, 1_700_000_000);
    const [e] = (await listPage(d)).entries;
    assert.equal(e?.size, 1234);
    assert.equal(e?.mtimeMs, 1_700_000_000_000);
  });

  it('pages a large folder: every entry once, all folders before any file', async () => {
    const d = fresh('large');
    for (let i = 0; i < 150; i++) mkdirSync(join(d, `dir${i}`));
    for (let i = 0; i < 1100; i++) writeFileSync(join(d, `file${i}`), '');
    const { entries, pages } = await listAll(d, 100);
    assert.equal(pages, 13);
    assert.equal(entries.length, 1250);
    assert.equal(new Set(entries.map((e) => e.name)).size, 1250);
    const lastFolder = entries.map((e) => e.kind).lastIndexOf('folder');
    const firstFile = entries.map((e) => e.kind).indexOf('file');
    assert.equal(lastFolder, 149);
    assert.equal(firstFile, 150);
  });

  it('hides our temp files and removes stale ones, but keeps other dot files', async () => {
    const d = fresh('temps');
    writeFileSync(join(d, 'doc.json'), '{}');
    writeFileSync(join(d, '.hidden'), '');
    // pid 2^22+1 is above Linux's pid_max default, so no live writer owns this one.
    const stale = '.doc.json.si-4194305-0123abcd.tmp';
    const live = `.doc.json.si-${process.pid}-89abcdef.tmp`;
    writeFileSync(join(d, stale), 'partial');
    writeFileSync(join(d, live), 'in progress');
    const names = (await listPage(d)).entries.map((e) => e.name);
    assert.deepEqual(names, ['.hidden', 'doc.json']);
    assert.deepEqual(readdirSync(d).sort(), ['.doc.json.si-' + process.pid + '-89abcdef.tmp', '.hidden', 'doc.json'].sort());
  });

  it('a symlink loop is an error row with a clear message; the rest still lists', async () => {
    const d = fresh('loops');
    symlinkSync('self', join(d, 'self'));
    writeFileSync(join(d, 'ok.txt'), 'fine');
    const { entries } = await listPage(d);
    const loop = entries.find((e) => e.name === 'self');
    assert.equal(loop?.kind, 'error');
    assert.match(loop?.error ?? '', /symbolic link loop/);
    assert.equal(entries.find((e) => e.name === 'ok.txt')?.kind, 'file');
    await assert.rejects(listPage(join(d, 'self')), (e) => isStorageError(e) && e.code === 'BadInput' && /loop/.test(e.message));
  });

  it('a vanished folder is NotFound and says what to do', async () => {
    await assert.rejects(listPage(join(base, 'gone')), (e) => isStorageError(e) && e.code === 'NotFound' && /re-add the root/.test(e.message));
  });

  it('refuses a bad page size, naming the parameter', async () => {
    await assert.rejects(listPage(base, { pageSize: 0 }), /options\.pageSize/);
  });
});
