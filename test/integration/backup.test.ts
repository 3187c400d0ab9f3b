import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readlinkSync, rmSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync, openSync, readSync, writeSync, closeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { LocalBackend } from '../../src/core/backup/localBackend';
import { lockRepository } from '../../src/core/backup/lock';
import { Repository } from '../../src/core/backup/repository';

const EXTENSION_ID = 'storage-inspector.storage-inspector';
const PASSWORD = 'correct horse battery staple 7f3a';
const endpoint = process.env.SI_S3_ENDPOINT;
const awsEnv = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'testing', AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing', AWS_DEFAULT_REGION: 'us-east-1' };

interface Row {
  node: { kind: string; repoId?: string; snapshotId?: string; path?: string; type?: string; time?: string };
  label: string;
  description?: string;
  contextValue?: string;
  tooltip?: string;
  children?: Row[];
}

const cmd = <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(`storageInspector.${id}`, ...args);
const restic = (repo: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync('/usr/bin/restic', ['-r', repo, '--no-cache', ...args], { env: { ...process.env, RESTIC_PASSWORD: PASSWORD, ...env }, encoding: 'utf8' });

async function rows(node?: Row['node'], depth?: number): Promise<Row[]> {
  const r = await cmd<Row[]>('backup.internal.rows', node, depth);
  assert.ok(Array.isArray(r), 'the Backups view could not list (see the log)');
  return r;
}

/** The row at a snapshot path (`/a/b/c`), expanding each folder on the way (the top row may hold several segments). */
async function rowAt(snapshot: Row['node'], p: string): Promise<Row> {
  let parent = snapshot;
  for (let depth = 0; depth < 64; depth++) {
    const row = (await rows(parent)).find((r) => r.node.path === p || p.startsWith(`${r.node.path}/`));
    assert.ok(row, `${p} is listed in the snapshot (under ${parent.path ?? 'its root'})`);
    if (row.node.path === p) return row;
    parent = row.node;
  }
  throw new Error(`${p} is too deep`);
}

/** Runs a command and returns the error messages it showed (the registry turns failures into messages). */
async function errorsOf(run: () => Thenable<unknown>): Promise<string[]> {
  const w = vscode.window as unknown as { showErrorMessage: (...a: unknown[]) => unknown };
  const original = w.showErrorMessage;
  const got: string[] = [];
  w.showErrorMessage = (m: unknown) => {
    got.push(String(m));
    return Promise.resolve(undefined);
  };
  try {
    await run();
  } finally {
    w.showErrorMessage = original;
  }
  return got;
}

/** A snapshot file's storage-backup:// URI, as the view names it. */
const fileUri = (r: Row) => vscode.Uri.from({ scheme: 'storage-backup', authority: r.node.repoId!, path: `/${r.node.snapshotId!}${r.node.path!}` });

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

describe('backups view', function () {
  let base: string;
  let src: string;
  let repoDir: string;
  let repoId: string;
  let ctx: { context: vscode.ExtensionContext };
  const notes = 'first line\nsecond line\n';
  const binary = Buffer.alloc(3 * 1024 * 1024 + 17);

  before(async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    ctx = (await ext.activate()) as typeof ctx;
    base = mkdtempSync(path.join(process.env.SI_FIXTURES ?? tmpdir(), 'si-backup-'));
    src = path.join(base, 'project');
    mkdirSync(path.join(src, 'sub', 'deep'), { recursive: true });
    writeFileSync(path.join(src, 'notes.txt'), notes, { mode: 0o640 });
    utimesSync(path.join(src, 'notes.txt'), 1_700_000_000, 1_700_000_000);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 2654435761) >>> 24;
    writeFileSync(path.join(src, 'sub', 'data.bin'), binary);
    writeFileSync(path.join(src, 'sub', 'deep', 'config.json.gz'), gzipSync('{"deep": true}\n'));
    symlinkSync('notes.txt', path.join(src, 'link'));
    repoDir = path.join(base, 'repo');
    restic(repoDir, ['init']);
    restic(repoDir, ['backup', '--host', 'restic-host', src]);
    await vscode.workspace.getConfiguration('storageInspector').update('backup.repositories', [], vscode.ConfigurationTarget.Global);
    repoId = (await cmd<string>('backup.internal.addRepository', { name: 'local repo', path: repoDir, password: PASSWORD }))!;
    assert.ok(repoId, 'the repository was added');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('storageInspector').update('backup.repositories', [], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const repoNode = () => ({ kind: 'backupRepo', repoId });
  const snapshots = () => rows(repoNode());

  it('lists the snapshot restic made with its host, paths and size added, and its tree lazily', async () => {
    const snaps = await snapshots();
    assert.equal(snaps.length, 1);
    const ids = JSON.parse(restic(repoDir, ['snapshots', '--json'])) as { id: string; time: string }[];
    assert.equal(snaps[0]!.node.snapshotId, ids[0]!.id);
    assert.match(snaps[0]!.label, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.match(snaps[0]!.tooltip ?? '', new RegExp(ids[0]!.id));
    await cmd('backup.internal.sizesSettled', repoId);
    const again = (await snapshots())[0]!;
    assert.match(again.description ?? '', new RegExp(`^restic-host · ${src.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · \\+\\d`));
    const top = await rows(again.node);
    assert.deepEqual(top.map((r) => r.label), [src], 'the folders above the backed-up path show as one row');
    const folder = await rowAt(again.node, src);
    const names = (await rows(folder.node)).map((r) => `${r.label}:${r.contextValue ?? ''}`);
    assert.deepEqual(names, ['sub:backupFolder', 'link:backupSymlink', 'notes.txt:backupFile']);
    const data = await rowAt(again.node, `${src}/sub/data.bin`);
    assert.match(data.description ?? '', /^3\.1 MB/);
  });

  it('opens a file of a snapshot read-only with the bytes restic stored, and peels gzip', async () => {
    const snap = (await snapshots())[0]!.node;
    const file = await rowAt(snap, `${src}/sub/data.bin`);
    const uri = fileUri(file);
    assert.ok(Buffer.from(await vscode.workspace.fs.readFile(uri)).equals(binary), 'bytes identical to the original');
    const gz = await rowAt(snap, `${src}/sub/deep/config.json.gz`);
    const gzUri = (await cmd<vscode.Uri>('backup.openFile', gz.node))!;
    assert.equal(vscode.window.activeTextEditor?.document.getText(), '{"deep": true}\n');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), gzUri.toString());
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(gzUri, Buffer.from('x'))), /read-only/);
  });

  it('compares a snapshot file with the live file in a diff editor', async () => {
    writeFileSync(path.join(src, 'notes.txt'), `${notes}third line\n`);
    const file = await rowAt((await snapshots())[0]!.node, `${src}/notes.txt`);
    await cmd('backup.compareWithCurrent', file.node);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
    assert.equal(tab.input.original.scheme, 'storage-backup');
    assert.equal(tab.input.modified.fsPath, path.join(src, 'notes.txt'));
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(tab.input.original)).toString(), notes);
  });

  it('backs up a Local root with Back Up Now; restic lists, checks and restores our snapshot', async () => {
    const result = await cmd<{ snapshotId: string; files: number; filesUnchanged: number }>('backup.backUpNow', { kind: 'root', rootId: 'x', path: src, name: 'project' }, { repoId });
    assert.ok(result?.snapshotId, 'a snapshot was written');
    const listed = JSON.parse(restic(repoDir, ['snapshots', '--json'])) as { id: string }[];
    assert.ok(listed.some((s) => s.id === result.snapshotId), 'restic lists our snapshot');
    restic(repoDir, ['check', '--read-data']);
    const out = path.join(base, 'restic-restored');
    restic(repoDir, ['restore', result.snapshotId, '--target', out]);
    assert.equal(readFileSync(path.join(out, src, 'notes.txt'), 'utf8'), `${notes}third line\n`);
    assert.ok(readFileSync(path.join(out, src, 'sub', 'data.bin')).equals(binary));
    assert.equal((await snapshots()).length, 2, 'the view shows the new snapshot');
  });

  it('restores a file to its original place only after asking, identical, with its mode and time', async () => {
    const snaps = await snapshots();
    const oldest = snaps[snaps.length - 1]!.node;
    const file = await rowAt(oldest, `${src}/notes.txt`);
    const live = path.join(src, 'notes.txt');
    const skipped = await cmd<{ skipped: string[]; files: number }>('backup.restore', file.node, { pick: 'Skip' });
    assert.deepEqual(skipped?.skipped, [live]);
    assert.equal(readFileSync(live, 'utf8'), `${notes}third line\n`, 'Skip leaves the live file');
    const both = await cmd<{ keptBoth: string[] }>('backup.restore', file.node, { pick: 'Keep Both' });
    assert.equal(both?.keptBoth.length, 1);
    assert.equal(readFileSync(both!.keptBoth[0]!, 'utf8'), notes, 'Keep Both restores beside it');
    assert.equal(readFileSync(live, 'utf8'), `${notes}third line\n`);
    const over = await cmd<{ files: number }>('backup.restore', file.node, { pick: 'Overwrite' });
    assert.equal(over?.files, 1);
    assert.equal(readFileSync(live, 'utf8'), notes);
    const st = statSync(live);
    assert.equal(st.mode & 0o777, 0o640);
    assert.equal(Math.floor(st.mtimeMs / 1000), 1_700_000_000);
    // Dismissing the question (no answer that names a button) restores nothing.
    writeFileSync(live, 'changed again\n');
    assert.equal(await cmd('backup.restore', file.node, { pick: 'Cancel' }), undefined);
    assert.equal(readFileSync(live, 'utf8'), 'changed again\n');
  });

  it('restores a whole folder into a chosen folder, identical to what restic restores', async () => {
    const snap = (await snapshots())[0]!.node;
    const folder = await rowAt(snap, `${src}/sub`);
    const target = path.join(base, 'ours');
    const done = await cmd<{ files: number }>('backup.restoreTo', folder.node, { target });
    assert.equal(done?.files, 2);
    assert.ok(readFileSync(path.join(target, 'sub', 'data.bin')).equals(binary));
    assert.ok(readFileSync(path.join(target, 'sub', 'deep', 'config.json.gz')).equals(readFileSync(path.join(src, 'sub', 'deep', 'config.json.gz'))));
    // Again over a changed copy: Skip keeps the changed file and brings back only the missing one.
    writeFileSync(path.join(target, 'sub', 'data.bin'), 'mine\n');
    rmSync(path.join(target, 'sub', 'deep'), { recursive: true });
    const again = await cmd<{ files: number; skipped: string[] }>('backup.restoreTo', folder.node, { target, pick: 'Skip' });
    assert.deepEqual(again?.skipped, [path.join(target, 'sub', 'data.bin')]);
    assert.equal(again?.files, 1);
    assert.equal(readFileSync(path.join(target, 'sub', 'data.bin'), 'utf8'), 'mine\n');
    assert.ok(readFileSync(path.join(target, 'sub', 'deep', 'config.json.gz')).equals(readFileSync(path.join(src, 'sub', 'deep', 'config.json.gz'))));
    assert.ok(Math.abs(statSync(path.join(target, 'sub', 'deep')).mtimeMs - statSync(path.join(src, 'sub', 'deep')).mtimeMs) < 1, 'a folder it made has the snapshot time');
    assert.deepEqual(readdirSync(target).filter((n) => n.startsWith('.si-restore')), [], 'no staging folder is left');
    // A whole snapshot lands under its absolute paths, as restic restore --target does.
    const whole = path.join(base, 'whole');
    const all = await cmd<{ files: number }>('backup.restoreTo', snap, { target: whole });
    assert.equal(all?.files, 3, 'notes.txt, data.bin and config.json.gz (the link is no file)');
    assert.ok(readFileSync(path.join(whole, src, 'sub', 'data.bin')).equals(binary));
    assert.equal(readlinkSync(path.join(whole, src, 'link')), 'notes.txt');
  });

  it('compares two snapshots as restic diff does, in a results document', async () => {
    const [ours, theirs] = (await snapshots()).map((r) => r.node);
    const result = await cmd<{ changes: { path: string; modifier: string }[]; source: string; target: string }>('backup.compareSnapshots', ours, { pick: theirs!.snapshotId!.slice(0, 8) });
    assert.ok(result, 'the comparison ran');
    assert.equal(result.source, theirs!.snapshotId);
    const lines = restic(repoDir, ['diff', '--metadata', theirs!.snapshotId!, ours!.snapshotId!]).split('\n').filter((l) => /^(\+|-|M\??|T|U)\s+\//.test(l)).map((l) => l.replace(/\s+/, ' '));
    assert.ok(lines.length > 0);
    assert.deepEqual(result.changes.map((c) => `${c.modifier} ${c.path}`), lines);
    assert.ok(result.changes.some((c) => c.modifier === 'M' && c.path === `${src}/notes.txt`));
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, new RegExp(`M    ${src.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/notes\\.txt`));
    const sub = await rowAt(ours!, `${src}/sub`);
    const under = await cmd<{ changes: { path: string }[] }>('backup.compareSnapshots', sub.node, { pick: theirs!.snapshotId!.slice(0, 8) });
    assert.ok(under!.changes.every((c) => c.path.startsWith(`${src}/sub/`)), 'a folder compares only what is below it');
    // One file: the two snapshots' copies side by side, the older on the left.
    const file = await rowAt(ours!, `${src}/notes.txt`);
    await cmd('backup.compareSnapshots', file.node, { pick: theirs!.snapshotId!.slice(0, 8) });
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
    assert.equal(tab.input.original.path, `/${theirs!.snapshotId}${src}/notes.txt`);
    assert.equal(tab.input.modified.path, `/${ours!.snapshotId}${src}/notes.txt`);
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(tab.input.original)).toString(), notes);
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(tab.input.modified)).toString(), `${notes}third line\n`);
  });

  it('finds a path across snapshots as restic find does, and opens a match', async () => {
    const found = await cmd<{ hits: { snapshotId: string; paths: string[] }[] }>('backup.findInSnapshots', repoNode(), { text: 'notes.txt' });
    const theirs = JSON.parse(restic(repoDir, ['find', '--json', 'notes.txt'])) as { snapshot: string; matches: { path: string }[] }[];
    // restic lists snapshots in the order its backend lists their files (by id); ours go by time.
    const byId = (a: [string, string[]], b: [string, string[]]) => (a[0] < b[0] ? -1 : 1);
    assert.deepEqual(found!.hits.map((h): [string, string[]] => [h.snapshotId, h.paths]).sort(byId), theirs.map((t): [string, string[]] => [t.snapshot, t.matches.map((m) => m.path)]).sort(byId));
    assert.equal(found!.hits.length, 2);
    const opened = await cmd<{ opened?: vscode.Uri }>('backup.findInSnapshots', repoNode(), { text: '*.gz', pick: `${src}/sub/deep/config.json.gz` });
    assert.equal(opened?.opened?.scheme, 'storage-backup');
    assert.equal(vscode.window.activeTextEditor?.document.getText(), '{"deep": true}\n');
  });

  it('creates a version 2 repository that restic opens, and backs a folder up into it', async () => {
    const fresh = path.join(base, 'created');
    const id = (await cmd<string>('backup.createRepository', { name: 'created', path: fresh, password: PASSWORD }))!;
    assert.ok(id, 'created and added');
    assert.equal((JSON.parse(restic(fresh, ['cat', 'config'])) as { version: number }).version, 2);
    const result = await cmd<{ snapshotId: string }>('backup.backUpFolder', path.join(src, 'sub'), { repoId: id });
    assert.ok(result?.snapshotId);
    restic(fresh, ['check', '--read-data']);
    assert.deepEqual((JSON.parse(restic(fresh, ['snapshots', '--json'])) as { id: string }[]).map((s) => s.id), [result.snapshotId]);
    const again = await errorsOf(() => cmd('backup.createRepository', { name: 'again', path: fresh, password: PASSWORD }));
    assert.match(again[0] ?? '', /already holds a repository/);
  });

  it('forgets snapshots by keep rules after a preview and a confirmation, then prunes; restic checks the rest', async () => {
    const repo = path.join(base, 'forget-repo');
    const work = path.join(base, 'forget-src');
    mkdirSync(work);
    restic(repo, ['init']);
    for (let day = 1; day <= 3; day++) {
      writeFileSync(path.join(work, 'day.txt'), `day ${day}\n`.repeat(1000 * day));
      restic(repo, ['backup', '--host', 'h', '--time', `2026-11-0${day} 10:00:00`, work]);
    }
    const id = (await cmd<string>('backup.internal.addRepository', { name: 'forget', path: repo, password: PASSWORD }))!;
    const declined = await cmd<{ removed: string[] }>('backup.forget', { kind: 'backupRepo', repoId: id }, { text: 'last 1', confirm: false });
    assert.equal(declined, undefined);
    assert.equal((JSON.parse(restic(repo, ['snapshots', '--json'])) as unknown[]).length, 3, 'declining forgets nothing');
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /forget +[0-9a-f]{8} +2026-11-01 10:00:00/);
    const done = await cmd<{ removed: string[]; kept: string[]; prune?: { packsDeleted: number; packsRepacked: number } }>('backup.forget', { kind: 'backupRepo', repoId: id }, { text: 'last 1', confirm: true });
    assert.equal(done?.removed.length, 2);
    const left = JSON.parse(restic(repo, ['snapshots', '--json'])) as { id: string; time: string }[];
    assert.deepEqual(left.map((s) => s.id), done!.kept);
    assert.match(left[0]!.time, /^2026-11-03/);
    assert.ok((done!.prune?.packsDeleted ?? 0) + (done!.prune?.packsRepacked ?? 0) > 0, 'the prune removed data');
    restic(repo, ['check', '--read-data']);
    const out = path.join(base, 'forget-restored');
    restic(repo, ['restore', 'latest', '--target', out]);
    assert.equal(readFileSync(path.join(out, work, 'day.txt'), 'utf8'), 'day 3\n'.repeat(3000));
    assert.equal((await rows({ kind: 'backupRepo', repoId: id })).length, 1, 'the view shows what is left');
  });

  it('verify finds a flipped byte in a pack and names the file it damages in the Problems panel', async () => {
    const damaged = path.join(base, 'damaged');
    cpSync(repoDir, damaged, { recursive: true });
    const repo = await Repository.open(new LocalBackend(damaged), PASSWORD);
    const snap = (await repo.snapshots())[0]!;
    // The pack of data.bin's first blob, found through the index restic wrote.
    const tree = await repo.loadTree(snap.tree);
    let node = tree.nodes.find((n) => n.type === 'dir')!;
    for (const part of `${src}/sub`.split('/').filter(Boolean).slice(1)) node = (await repo.loadTree(node.subtree!)).nodes.find((n) => n.name === part)!;
    const fileNode = (await repo.loadTree(node.subtree!)).nodes.find((n) => n.name === 'data.bin')!;
    const blob = (await repo.lookup('data', fileNode.content![0]!))!;
    const packPath = path.join(damaged, 'data', blob.pack.slice(0, 2), blob.pack);
    const fd = openSync(packPath, 'r+');
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, blob.offset + 100);
    b[0] = b[0]! ^ 0x40;
    writeSync(fd, b, 0, 1, blob.offset + 100);
    closeSync(fd);
    const damagedId = (await cmd<string>('backup.internal.addRepository', { name: 'damaged', path: damaged, password: PASSWORD }))!;
    const report = await cmd<{ ok: boolean }>('backup.verify', { kind: 'backupRepo', repoId: damagedId }, { readData: true });
    assert.equal(report?.ok, false);
    const problems = (await cmd<{ uri: string; message: string }[]>('backup.internal.problems'))!;
    const onFile = problems.filter((p) => vscode.Uri.parse(p.uri).scheme === 'storage-backup' && vscode.Uri.parse(p.uri).path.endsWith('/sub/data.bin'));
    assert.ok(onFile.length >= 1, `a problem names data.bin: ${JSON.stringify(problems)}`);
    assert.ok(problems.some((p) => p.uri.includes(blob.pack)), 'and the damaged pack');
    assert.ok(!problems.some((p) => p.uri.endsWith('/notes.txt')), 'an intact file is not named');
    const clean = await cmd<{ ok: boolean }>('backup.verify', repoNode(), { readData: true });
    assert.equal(clean?.ok, true);
    assert.deepEqual(await cmd('backup.internal.problems'), [], 'a clean verify clears the panel');
  });

  it('says clearly when the password is wrong, and never logs or stores a password', async () => {
    const wrongId = (await cmd<string>('backup.internal.addRepository', { name: 'wrong', path: repoDir, password: 'not the password', verify: false }))!;
    const r = await rows({ kind: 'backupRepo', repoId: wrongId });
    assert.equal(r.length, 1);
    assert.equal(r[0]!.contextValue, 'error');
    assert.match(r[0]!.label, /password opens none of its 1 key file/);
    assert.match(r[0]!.label, /Set Repository Password/);
    const shown = await errorsOf(() => cmd('backup.internal.addRepository', { name: 'wrong again', path: repoDir, password: 'nope' }));
    assert.equal(shown.length, 1);
    assert.match(shown[0]!, /password opens none/);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('storageInspector').get('backup.repositories'));
    assert.ok(!settings.includes(PASSWORD) && !settings.includes('not the password'), 'no password in the settings');
    const logs = filesUnder(path.resolve(ctx.context.logUri.fsPath, '..', '..'));
    assert.ok(logs.length > 0, 'the log files are found');
    for (const f of logs) assert.ok(!readFileSync(f, 'utf8').includes(PASSWORD), `${f} holds no password`);
  });

  it('refuses to back up into a repository locked exclusively, naming the lock holder and time', async () => {
    const repo = await Repository.open(new LocalBackend(repoDir), PASSWORD);
    const lock = await lockRepository(repo, true);
    const before = readdirSync(path.join(repoDir, 'snapshots')).length;
    try {
      const shown = await errorsOf(() => cmd('backup.backUpNow', vscode.Uri.file(src), { repoId }));
      assert.equal(shown.length, 1);
      assert.match(shown[0]!, new RegExp(`locked exclusively by .*@${hostname()}`));
      assert.match(shown[0]!, /since \d{4}-\d\d-\d\dT\d\d:\d\d/);
    } finally {
      await lock.release();
    }
    assert.equal(readdirSync(path.join(repoDir, 'snapshots')).length, before, 'no snapshot was written');
  });

  it('asks before backing up a database with unsaved edits in the SQL view, and backs up the file as last saved', async () => {
    const db = path.join(src, 'sub', 'shop.db');
    execFileSync('/usr/bin/sqlite3', [db, "CREATE TABLE items(sku TEXT PRIMARY KEY, qty INTEGER); INSERT INTO items VALUES ('W-1', 40);"]);
    const saved = readFileSync(db);
    const dbId = (await cmd<string>('sql.openDatabase', vscode.Uri.file(db)))!;
    await cmd('sql.newQuery', dbId, "UPDATE items SET qty = 1 WHERE sku = 'W-1';");
    await cmd('sql.runQuery', { all: true });
    assert.equal(await cmd('sql.internal.dirty', dbId), true);
    const before = readdirSync(path.join(repoDir, 'snapshots')).length;
    assert.equal(await cmd('backup.backUpFolder', path.join(src, 'sub'), { repoId, confirm: false }), undefined);
    assert.equal(readdirSync(path.join(repoDir, 'snapshots')).length, before, 'declining writes no snapshot');
    const result = await cmd<{ snapshotId: string }>('backup.backUpFolder', path.join(src, 'sub'), { repoId, confirm: true });
    assert.ok(result?.snapshotId);
    const stored = await vscode.workspace.fs.readFile(vscode.Uri.from({ scheme: 'storage-backup', authority: repoId, path: `/${result.snapshotId}${db}` }));
    assert.ok(Buffer.from(stored).equals(saved), 'the snapshot holds the database as saved on disk');
    await cmd('sql.closeDatabase', dbId, { pick: 'Close Without Saving' });
  });

  it('backs up a WAL database open in the SQL view from a copy with its committed -wal frames; restic restores it whole', async () => {
    const dir = path.join(base, 'wal-db');
    mkdirSync(dir);
    const db = path.join(dir, 'ledger.db');
    // The writer does not checkpoint on close, so every committed row is only in ledger.db-wal.
    execFileSync('/usr/bin/sqlite3', [db, '.dbconfig no_ckpt_on_close on', 'PRAGMA journal_mode=WAL;', 'CREATE TABLE entries(id INTEGER PRIMARY KEY, what TEXT);',
      "INSERT INTO entries VALUES (1, 'opening balance');", "INSERT INTO entries SELECT value + 1, hex(randomblob(200)) FROM generate_series(1, 40);"], { stdio: 'pipe' });
    assert.ok(statSync(`${db}-wal`).size > 0, 'the committed rows are in the -wal');
    const sqlite = (file: string, q: string) => execFileSync('/usr/bin/sqlite3', [file, q], { encoding: 'utf8', stdio: 'pipe' }).trim();
    const mainOnly = path.join(base, 'wal-main-only');
    mkdirSync(mainOnly);
    cpSync(db, path.join(mainOnly, 'as-on-disk.db'));
    assert.throws(() => sqlite(path.join(mainOnly, 'as-on-disk.db'), 'SELECT count(*) FROM entries;'), /no such table/, 'the main file alone lacks them');
    const dbId = (await cmd<string>('sql.openDatabase', vscode.Uri.file(db)))!;
    assert.ok(dbId, 'the database is open in the SQL view');
    const result = await cmd<{ snapshotId: string }>('backup.backUpFolder', dir, { repoId });
    assert.ok(result?.snapshotId);
    const out = path.join(base, 'wal-restored');
    restic(repoDir, ['restore', result.snapshotId, '--target', out]);
    // The restored main file on its own, without the -wal that was backed up beside it.
    const alone = path.join(mainOnly, 'restored.db');
    cpSync(path.join(out, db), alone);
    assert.equal(sqlite(alone, 'SELECT count(*) FROM entries;'), '41', 'the restored main file holds the committed rows');
    assert.equal(sqlite(alone, 'SELECT what FROM entries WHERE id = 1;'), 'opening balance');
    assert.equal(sqlite(alone, 'PRAGMA integrity_check;'), 'ok');
    // And with the -wal restored beside it (the one the copy was made from), the same database.
    assert.equal(sqlite(path.join(out, db), 'SELECT count(*) FROM entries;'), '41');
    assert.equal(sqlite(path.join(out, db), 'PRAGMA integrity_check;'), 'ok');
    await cmd('sql.closeDatabase', dbId, { pick: 'Close Without Saving' });
  });

  it('a save in the SQL view holds the lock the backup copies under, so a copy never sees it half-done', async () => {
    const db = path.join(base, 'wal-db', 'orders.db');
    execFileSync('/usr/bin/sqlite3', [db, "CREATE TABLE orders(id INTEGER PRIMARY KEY, state TEXT); INSERT INTO orders VALUES (1, 'new');"]);
    const dbId = (await cmd<string>('sql.openDatabase', vscode.Uri.file(db)))!;
    await cmd('sql.newQuery', dbId, "UPDATE orders SET state = 'shipped' WHERE id = 1;");
    await cmd('sql.runQuery', { all: true });
    const dbs = (ctx as unknown as { sql: { dbs: { get(id: string): unknown; save(d: unknown, o: unknown): Promise<string>; whileNotSaving<T>(p: string, w: () => Promise<T>): Promise<T> } } }).sql.dbs;
    // The save takes the lock as it starts; what asks for the lock after that runs once the save is done.
    const saved = dbs.save(dbs.get(dbId), { onConflict: 'keep' });
    const seen = await dbs.whileNotSaving(db, async () => execFileSync('/usr/bin/sqlite3', [db, 'SELECT state FROM orders WHERE id = 1;'], { encoding: 'utf8' }).trim());
    assert.equal(await saved, 'saved');
    assert.equal(seen, 'shipped', 'the lock waited for the save to finish');
    await cmd('sql.closeDatabase', dbId, { pick: 'Close Without Saving' });
  });

  it('restores a whole snapshot to its original place without touching the folders above its path', async () => {
    const x = path.join(base, 'x');
    const y = path.join(x, 'y');
    const root = path.join(y, 'root');
    mkdirSync(path.join(root, 'inner'), { recursive: true });
    writeFileSync(path.join(root, 'a.txt'), 'alpha\n');
    writeFileSync(path.join(root, 'inner', 'b.txt'), 'beta\n');
    // What the snapshot holds for y, the folder above root: a restore must not give it back.
    chmodSync(y, 0o700);
    utimesSync(y, 1_000_000_000, 1_000_000_000);
    const result = await cmd<{ snapshotId: string }>('backup.backUpFolder', root, { repoId });
    assert.ok(result?.snapshotId);
    rmSync(path.join(root, 'inner'), { recursive: true });
    writeFileSync(path.join(root, 'a.txt'), 'changed\n');
    // Modes and times the snapshot's copies of x and y (held only to reach root) do not have.
    chmodSync(x, 0o751);
    chmodSync(y, 0o705);
    utimesSync(x, 1_111_111_111, 1_111_111_111);
    utimesSync(y, 1_222_222_222, 1_222_222_222);
    const above = () => [x, y].map((d) => `${(statSync(d).mode & 0o7777).toString(8)} ${Math.floor(statSync(d).mtimeMs / 1000)}`);
    assert.deepEqual(above(), ['751 1111111111', '705 1222222222']);
    const snap = (await snapshots()).find((r) => r.node.snapshotId === result.snapshotId)!.node;
    const done = await cmd<{ files: number }>('backup.restore', snap, { pick: 'Overwrite' });
    assert.equal(done?.files, 2);
    assert.equal(readFileSync(path.join(root, 'a.txt'), 'utf8'), 'alpha\n');
    assert.equal(readFileSync(path.join(root, 'inner', 'b.txt'), 'utf8'), 'beta\n');
    assert.deepEqual(above(), ['751 1111111111', '705 1222222222'], 'x and y keep their own mode and time');
    // Skip restores through a staging folder: it goes inside root, not beside it in y.
    rmSync(path.join(root, 'inner'), { recursive: true });
    const skipped = await cmd<{ files: number; skipped: string[] }>('backup.restore', snap, { pick: 'Skip' });
    assert.deepEqual(skipped?.skipped, [path.join(root, 'a.txt')]);
    assert.equal(readFileSync(path.join(root, 'inner', 'b.txt'), 'utf8'), 'beta\n');
    assert.deepEqual(above(), ['751 1111111111', '705 1222222222'], 'and again with Skip');
    // A missing folder above the path is made with the default mode, not the snapshot's.
    rmSync(y, { recursive: true });
    const again = await cmd<{ files: number }>('backup.restore', snap);
    assert.equal(again?.files, 2);
    assert.equal(readFileSync(path.join(root, 'inner', 'b.txt'), 'utf8'), 'beta\n');
    assert.equal(statSync(y).mode & 0o7777, 0o777 & ~process.umask(), 'y has the default mode');
    assert.notEqual(Math.floor(statSync(y).mtimeMs / 1000), 1_000_000_000, 'and not the time the snapshot holds for it');
    assert.equal(statSync(x).mode & 0o7777, 0o751, 'x keeps its mode (making y in it changed its time)');
  });

  it('pages a snapshot folder of 2,500 files: a first page and "Load more...", which shows the rest', async () => {
    const many = path.join(base, 'many');
    mkdirSync(many);
    for (let i = 0; i < 2500; i++) writeFileSync(path.join(many, `f${String(i).padStart(4, '0')}.txt`), `${i}\n`);
    const result = await cmd<{ snapshotId: string }>('backup.backUpFolder', many, { repoId });
    assert.ok(result?.snapshotId);
    const snap = (await snapshots()).find((r) => r.node.snapshotId === result.snapshotId)!.node;
    const folder = await rowAt(snap, many);
    const page = vscode.workspace.getConfiguration('storageInspector').get<number>('backup.pageSize')!;
    assert.ok(page > 0 && page < 2500, `the page size (${page}) is below the folder's 2,500 files`);
    let shown = await rows(folder.node);
    assert.equal(shown.length, page + 1, 'a page and one more row');
    assert.deepEqual(shown.slice(0, 3).map((r) => r.label), ['f0000.txt', 'f0001.txt', 'f0002.txt']);
    let more = shown[shown.length - 1]!;
    assert.equal(more.label, 'Load more...');
    assert.equal(more.contextValue, 'loadMore');
    assert.equal(more.description, `${page.toLocaleString('en-US')} of 2,500 shown`);
    for (let loads = 0; more.label === 'Load more...'; loads++) {
      assert.ok(loads < 2500 / page, 'each Load more shows another page');
      await cmd('backup.loadMore', more.node);
      shown = await rows(folder.node);
      more = shown[shown.length - 1]!;
    }
    assert.equal(shown.length, 2500, 'every file, and no Load more row');
    assert.deepEqual(shown.map((r) => r.label), Array.from({ length: 2500 }, (_, i) => `f${String(i).padStart(4, '0')}.txt`));
    // Another page size starts every listing on its first page again.
    const settings = vscode.workspace.getConfiguration('storageInspector');
    await settings.update('backup.pageSize', 1000, vscode.ConfigurationTarget.Global);
    try {
      shown = await rows(folder.node);
      assert.equal(shown.length, 1001);
      assert.equal(shown[1000]!.description, '1,000 of 2,500 shown');
    } finally {
      await settings.update('backup.pageSize', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('compares a .txt.gz and an .age file with the current one layer for layer: both sides decoded', async () => {
    const dir = path.join(base, 'layered');
    mkdirSync(dir);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const codec = require(path.join(ext.extensionPath, 'dist', 'codec.js')) as {
      generateIdentity(): { identity: string; recipient: string };
      encode(p: Uint8Array, l: { kind: string }[], o: object): Promise<Uint8Array>;
    };
    const keys = (ctx as unknown as { keys: { addIdentities(i: string[]): Promise<number>; removeIdentity(r: string): Promise<boolean> } }).keys;
    const me = codec.generateIdentity();
    await keys.addIdentities([me.identity]);
    const seal = (text: string) => codec.encode(Buffer.from(text), [{ kind: 'age' }], { recipients: [me.recipient] });
    try {
      const gz = path.join(dir, 'log.txt.gz');
      const age = path.join(dir, 'secret.txt.age');
      writeFileSync(gz, gzipSync('day one\n'));
      writeFileSync(age, await seal('sealed one\n'));
      const result = await cmd<{ snapshotId: string }>('backup.backUpFolder', dir, { repoId });
      assert.ok(result?.snapshotId);
      writeFileSync(gz, gzipSync('day one\nday two\n'));
      writeFileSync(age, await seal('sealed two\n'));
      const snap = (await snapshots()).find((r) => r.node.snapshotId === result.snapshotId)!.node;
      for (const [file, was, now] of [[gz, 'day one\n', 'day one\nday two\n'], [age, 'sealed one\n', 'sealed two\n']] as const) {
        await cmd('backup.compareWithCurrent', (await rowAt(snap, file)).node);
        const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
        assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
        assert.match(tab.label, new RegExp(`^${path.basename(file).replace(/\./g, '\\.')} \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ↔ current\\)$`));
        assert.equal(tab.input.modified.scheme, 'storage-local', `the current ${path.basename(file)} opens decoded, as Open Decoded does`);
        assert.equal(Buffer.from(await vscode.workspace.fs.readFile(tab.input.original)).toString(), was);
        assert.equal(Buffer.from(await vscode.workspace.fs.readFile(tab.input.modified)).toString(), now);
      }
    } finally {
      await keys.removeIdentity(me.recipient);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('browses and opens a repository that restic made under an S3 prefix of a connection', async function () {
    assert.ok(endpoint, 'SI_S3_ENDPOINT is not set: run the suites under scripts/moto.sh');
    const bucket = `backup-${Date.now()}`;
    execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint, 's3api', 'create-bucket', '--bucket', bucket], { env: { ...process.env, ...awsEnv } });
    const spec = `s3:${endpoint}/${bucket}/restic/laptop`;
    restic(spec, ['init'], awsEnv);
    restic(spec, ['backup', '--host', 'laptop', path.join(src, 'sub')], awsEnv);
    const connectionId = `moto-backup-${Date.now()}`;
    await cmd('s3.addConnection', { id: connectionId, name: 'moto', endpoint, region: 'us-east-1', forcePathStyle: true, accessKeyId: awsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: awsEnv.AWS_SECRET_ACCESS_KEY });
    const s3Repo = (await cmd<string>('backup.internal.addRepository', { name: 's3 repo', s3: { connectionId, bucket, prefix: 'restic/laptop' }, password: PASSWORD }))!;
    assert.ok(s3Repo);
    const snaps = await rows({ kind: 'backupRepo', repoId: s3Repo });
    assert.equal(snaps.length, 1);
    assert.match(snaps[0]!.description ?? '', /^laptop/);
    const file = await rowAt(snaps[0]!.node, `${src}/sub/data.bin`);
    const uri = fileUri(file);
    assert.ok(Buffer.from(await vscode.workspace.fs.readFile(uri)).equals(binary));
    await cmd('s3.removeConnection', { connectionId }, { confirm: true });
  });
});
