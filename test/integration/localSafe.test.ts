// Local saves are conditional on what was read: another writer between our read and our save
// gets a Conflict and keeps its bytes, whatever way it wrote (in place, by rename, keeping the
// size and time), and the user chooses Compare / Overwrite / Save As Copy... / Reload.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { recordFault } from '../support/faultLedger';
import { report } from './report';

const AGE = '/usr/bin/age';
const cmd = <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(`storageInspector.${id}`, ...args);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A whole-millisecond mtime, so a writer that restores it (`cp -p`, `touch -r`) restores it exactly. */
function pinTime(file: string): Date {
  const t = new Date(Math.floor(statSync(file).mtimeMs) - 60_000);
  utimesSync(file, t, t);
  return t;
}

/** Another program that writes the same number of bytes and puts the old time back. */
function writeKeepingTime(file: string, bytes: string | Buffer, how: 'inPlace' | 'rename'): void {
  const t = statSync(file).mtime;
  if (how === 'inPlace') writeFileSync(file, bytes);
  else {
    writeFileSync(`${file}.other`, bytes);
    utimesSync(`${file}.other`, t, t);
    renameSync(`${file}.other`, file);
  }
  utimesSync(file, t, t);
}

async function replaceText(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

/** A deterministic random sequence (the seed is printed), so a failing race can be re-run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('Local saves are conditional on what was read', function () {
  this.timeout(120_000);
  let root = '';
  let id = '';
  let identityFile = '';
  let recipient = '';
  const uriOf = (name: string) => vscode.Uri.from({ scheme: 'storage-local', authority: id, path: `/${name}` });
  const file = (name: string) => path.join(root, name);

  async function openEdited(name: string, text: string): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument(uriOf(name));
    await vscode.window.showTextDocument(doc);
    await replaceText(doc, text);
    return doc;
  }

  before(async () => {
    const ext = vscode.extensions.getExtension('storage-inspector.storage-inspector');
    assert.ok(ext);
    await ext.activate();
    const base = mkdtempSync(path.join(process.env.SI_FIXTURES ?? os.tmpdir(), 'si-localsafe-'));
    root = path.join(base, 'root');
    mkdirSync(root);
    identityFile = path.join(base, 'identity.txt');
    execFileSync('/usr/bin/age-keygen', ['-o', identityFile], { stdio: 'ignore' });
    recipient = execFileSync('/usr/bin/age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim();
    await cmd('keys.importIdentity', identityFile);
    id = (await cmd<string>('local.addRoot', root)) ?? '';
    assert.match(id, /^[0-9a-f]{12}$/);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await cmd('local.removeRoot', root);
    await cmd('keys.removeIdentity', recipient);
  });

  it('another writer in place: the editor save and a write without the editor check are both refused; their bytes stay', async () => {
    writeFileSync(file('a.txt'), 'original\n');
    const doc = await openEdited('a.txt', 'mine\n');
    writeFileSync(file('a.txt'), 'theirs, longer\n');
    const theirs = readFileSync(file('a.txt'));
    assert.equal(await doc.save(), false, 'the save is refused');
    assert.ok(readFileSync(file('a.txt')).equals(theirs));
    // What the editor's own "Overwrite" does: a write without its mtime check, which only ours can stop.
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uriOf('a.txt'), Buffer.from('mine\n'))), /changed on disk by another program/);
    assert.ok(readFileSync(file('a.txt')).equals(theirs), 'their bytes, byte for byte');
    assert.ok(doc.isDirty, 'our edit is still in the tab');
  });

  it('a writer that keeps the size and time (only the hash can tell): refused, then Overwrite when chosen', async () => {
    writeFileSync(file('b.txt'), 'version one\n');
    pinTime(file('b.txt'));
    const doc = await openEdited('b.txt', 'mine, mine!\n');
    writeKeepingTime(file('b.txt'), 'version two\n', 'inPlace');
    const theirs = readFileSync(file('b.txt'));
    assert.equal(await doc.save(), false, 'the save is refused');
    assert.ok(readFileSync(file('b.txt')).equals(theirs), 'their bytes, byte for byte');
    assert.equal(await cmd('local.resolveConflict', uriOf('b.txt'), { pick: 'Overwrite' }), 'overwritten');
    assert.equal(readFileSync(file('b.txt'), 'utf8'), 'mine, mine!\n');
    await until('the tab to be clean', () => (doc.isDirty ? undefined : true));
    assert.deepEqual(readdirSync(root).filter((n) => n.includes('.si-')), [], 'no temp file left');
  });

  it('a rename over the file (a new inode, same size and time): refused; Reload takes theirs, and the next save is ours', async () => {
    writeFileSync(file('c.txt'), 'first\n');
    pinTime(file('c.txt'));
    const doc = await openEdited('c.txt', 'mine!\n');
    writeKeepingTime(file('c.txt'), 'other\n', 'rename');
    const theirs = readFileSync(file('c.txt'));
    assert.equal(await doc.save(), false, 'the save is refused');
    assert.ok(readFileSync(file('c.txt')).equals(theirs));
    assert.equal(await cmd('local.resolveConflict', uriOf('c.txt'), { pick: 'Reload' }), 'reloaded');
    await until('the tab to show theirs', () => (doc.getText() === 'other\n' && !doc.isDirty ? true : undefined));
    await replaceText(doc, 'other, then mine\n');
    assert.equal(await doc.save(), true, 'saving onto what was reloaded is no conflict');
    assert.equal(readFileSync(file('c.txt'), 'utf8'), 'other, then mine\n');
  });

  it('saving our own earlier save again is no conflict', async () => {
    writeFileSync(file('d.txt'), 'zero\n');
    const doc = await openEdited('d.txt', 'one\n');
    assert.equal(await doc.save(), true);
    await replaceText(doc, 'two\n');
    assert.equal(await doc.save(), true);
    await vscode.workspace.fs.writeFile(uriOf('d.txt'), Buffer.from('three\n'));
    await vscode.workspace.fs.writeFile(uriOf('d.txt'), Buffer.from('four\n'));
    assert.equal(readFileSync(file('d.txt'), 'utf8'), 'four\n');
  });

  it('a file deleted or truncated by someone else counts as changed', async () => {
    writeFileSync(file('e.txt'), 'to be deleted\n');
    await vscode.workspace.fs.readFile(uriOf('e.txt'));
    unlinkSync(file('e.txt'));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uriOf('e.txt'), Buffer.from('mine\n'))), /deleted or moved/);
    assert.ok(!existsSync(file('e.txt')), 'not brought back');
    writeFileSync(file('f.txt'), 'to be truncated\n');
    await vscode.workspace.fs.readFile(uriOf('f.txt'));
    truncateSync(file('f.txt'), 0);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uriOf('f.txt'), Buffer.from('mine\n'))), /changed on disk/);
    assert.equal(statSync(file('f.txt')).size, 0);
  });

  it('a gzip file: refused after another writer; Save As Copy keeps ours in a new .gz and theirs untouched', async () => {
    writeFileSync(file('notes.txt.gz'), gzipSync('notes\n'));
    const uri = await cmd<vscode.Uri>('local.open', file('notes.txt.gz'));
    assert.equal(uri?.scheme, 'storage-local');
    const doc = await until('the decoded tab', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri?.toString()));
    await replaceText(doc, 'my notes\n');
    writeFileSync(file('notes.txt.gz'), gzipSync('their notes, written by gzip\n'));
    const theirs = readFileSync(file('notes.txt.gz'));
    assert.equal(await doc.save(), false);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(doc.uri, Buffer.from('my notes\n'))), /changed on disk/);
    assert.ok(readFileSync(file('notes.txt.gz')).equals(theirs));
    const copy = file('notes-copy.txt.gz');
    assert.equal(await cmd('local.resolveConflict', doc.uri, { pick: 'Save As Copy...', text: copy }), 'copied');
    assert.equal(gunzipSync(readFileSync(copy)).toString(), 'my notes\n');
    assert.ok(readFileSync(file('notes.txt.gz')).equals(theirs));
    // A copy never replaces a file: a second one to the same name is refused.
    writeFileSync(copy, 'someone else\'s copy');
    assert.equal(await cmd('local.resolveConflict', doc.uri, { pick: 'Save As Copy...', text: copy }), undefined, 'refused (the error is shown)');
    assert.equal(readFileSync(copy, 'utf8'), 'someone else\'s copy');
  });

  it('an age file replaced by rename: refused; Overwrite re-encrypts ours, which the age CLI decrypts', async () => {
    execFileSync('/bin/sh', ['-c', `printf '{"v": 1}\\n' | ${AGE} -r ${recipient} > cfg.json.age`], { cwd: root });
    const uri = await cmd<vscode.Uri>('local.open', file('cfg.json.age'));
    const doc = await until('the decrypted tab', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri?.toString()));
    assert.equal(doc.getText(), '{"v": 1}\n');
    await replaceText(doc, '{"v": "mine"}\n');
    execFileSync('/bin/sh', ['-c', `printf '{"v": "theirs"}\\n' | ${AGE} -r ${recipient} > cfg.new && mv cfg.new cfg.json.age`], { cwd: root });
    const theirs = readFileSync(file('cfg.json.age'));
    assert.equal(await doc.save(), false);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(doc.uri, Buffer.from('{"v": "mine"}\n'))), /replaced on disk|changed on disk/);
    assert.ok(readFileSync(file('cfg.json.age')).equals(theirs), 'their ciphertext, byte for byte');
    assert.equal(execFileSync(AGE, ['-d', '-i', identityFile, file('cfg.json.age')], { encoding: 'utf8' }), '{"v": "theirs"}\n');
    assert.equal(await cmd('local.resolveConflict', doc.uri, { pick: 'Overwrite' }), 'overwritten');
    assert.equal(execFileSync(AGE, ['-d', '-i', identityFile, file('cfg.json.age')], { encoding: 'utf8' }), '{"v": "mine"}\n');
  });

  it('fault run: 50 random races between a save and another writer lose 0 bytes', async () => {
    const seed = Number(process.env.SI_RACE_SEED ?? Date.now() % 1_000_000);
    const random = rng(seed);
    const name = 'race.txt.gz';
    let bytesLost = 0;
    let refused = 0;
    let saved = 0;
    const runs = 50;
    // How many event-loop turns an uncontended save takes: the other writer strikes anywhere in
    // that span (and a little after), so races hit every step of the save, not only its start.
    let span = 0;
    for (let c = 0; c < 3; c++) {
      writeFileSync(file(name), gzipSync('calibrate\n'));
      await vscode.workspace.fs.readFile(uriOf(name));
      let turns = 0;
      let done = false;
      const saving = Promise.resolve(vscode.workspace.fs.writeFile(uriOf(name), Buffer.from('calibrate 2\n'))).then(() => {
        done = true;
      });
      while (!done) {
        await ticks(1);
        turns++;
      }
      await saving;
      span = Math.max(span, turns);
    }
    for (let i = 0; i < runs; i++) {
      writeFileSync(file(name), gzipSync(`base ${i}\n`));
      await vscode.workspace.fs.readFile(uriOf(name));
      const how = (['inPlace', 'rename', 'keepTime'] as const)[i % 3]!;
      const delay = Math.floor(random() * span * 2);
      const theirs = gzipSync(`theirs ${i} ${'x'.repeat(Math.floor(random() * 200))}\n`);
      const other = (async () => {
        await ticks(delay);
        if (how === 'inPlace') writeFileSync(file(name), theirs);
        else if (how === 'rename') {
          writeFileSync(file(`${name}.other`), theirs);
          renameSync(file(`${name}.other`), file(name));
        } else writeKeepingTime(file(name), theirs, 'inPlace');
      })();
      const save = Promise.resolve(vscode.workspace.fs.writeFile(uriOf(name), Buffer.from(`mine ${i}\n`))).then(
        () => 'saved' as const,
        (e: unknown) => {
          assert.match(String(e), /changed on disk|replaced on disk/, `race ${i} failed for another reason`);
          return 'refused' as const;
        },
      );
      const [outcome] = await Promise.all([save, other]);
      if (outcome === 'refused') refused++;
      else saved++;
      // The other writer always writes, so whatever the order, their bytes must be what is on disk:
      // either we were refused, or our save came first and they wrote after it.
      const now = readFileSync(file(name));
      if (!now.equals(theirs)) bytesLost += theirs.length;
    }
    report(`      local other-writer races (seed ${seed}, a save spans ${span} turns): ${runs} runs, ${refused} refused, ${saved} saved before the other write, ${bytesLost} bytes lost`);
    recordFault({ suite: 'local.save', fault: 'other-writer', operations: runs, bytesLost });
    assert.equal(bytesLost, 0);
    assert.ok(refused > 0, 'some races hit the window between read and save');
    assert.ok(saved > 0, 'some races came after the save');
    rmSync(file(name));
  });
});
