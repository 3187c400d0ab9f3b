// Everyday S3 use against moto, as a user meets it: version rows read by time, version tabs told
// apart by their titles, the Add S3 Connection steps with Back and a failing test, a message after
// each change, questions before anything is deleted, the menus on delete markers, and palette
// commands that act on the active tab. The aws CLI is the independent writer and reader.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { S3Node } from '../../src/vscode/s3/nodes';

const EXTENSION_ID = 'storage-inspector.storage-inspector';
const cmd = <T>(id: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(`storageInspector.${id}`, ...args);
interface Row { node: S3Node; label: string; description?: string; contextValue?: string; tooltip?: string }
const children = (node?: S3Node) => cmd<Row[]>('s3.internal.rows', node);
interface StepShown { counter: string; title: string; prefilled?: string; value?: string; message?: string }

const endpoint = process.env.SI_S3_ENDPOINT;
const awsEnv = { ...process.env, AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'testing', AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing', AWS_DEFAULT_REGION: 'us-east-1' };
const aws = (...args: string[]) => JSON.parse(execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint!, '--output', 'json', ...args], { env: awsEnv }).toString() || '{}') as Record<string, unknown>;

/** The oracle's own formatting of a time, in local time: 2026-12-01 14:03. */
const two = (n: number) => String(n).padStart(2, '0');
const minute = (iso: string) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
};

type Window = Record<string, (...args: unknown[]) => unknown>;
/** Records the messages of one window function and answers them; `restore` puts the previous one back. */
function capture(name: 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage', answer: (message: string, buttons: string[]) => string | undefined = () => undefined) {
  const w = vscode.window as unknown as Window;
  const previous = w[name]!;
  const seen: string[] = [];
  w[name] = (message: unknown, ...rest: unknown[]) => {
    seen.push(String(message));
    return Promise.resolve(answer(String(message), rest.filter((r): r is string => typeof r === 'string')));
  };
  return { seen, restore: () => { w[name] = previous; } };
}

/** Resolves when a tab showing `wanted` becomes active (events, not time). */
function activeTabShows(wanted: (uri: vscode.Uri) => boolean): Promise<vscode.Tab> {
  const now = vscode.window.tabGroups.activeTabGroup.activeTab;
  const uriOf = (t: vscode.Tab | undefined) => (t?.input instanceof vscode.TabInputText ? t.input.uri : undefined);
  if (now && uriOf(now) && wanted(uriOf(now)!)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      const u = uriOf(t);
      if (t && u && wanted(u)) {
        sub.dispose();
        resolve(t);
      }
    });
  });
}

describe('s3 everyday use', function () {
  const fixtures = mkdtempSync(path.join(process.env.SI_FIXTURES ?? tmpdir(), 's3e-'));
  const stamp = Date.now();
  const connectionId = `moto-e-${stamp}`;
  const connectionName = `everyday ${stamp}`;
  const bucket = `si-everyday-${stamp}`;
  const key = 'notes/todo.txt';
  const versions: { id: string; size: number; time: string }[] = [];
  let marker = { id: '', time: '' };

  const objectRow = async (): Promise<Row> => {
    await cmd('s3.refresh');
    const conn = (await children()).find((r) => (r.node as { connectionId?: string }).connectionId === connectionId)!;
    const b = (await children(conn.node)).find((r) => r.label === bucket)!;
    const notes = (await children(b.node)).find((r) => r.label === 'notes/')!;
    return (await children(notes.node)).find((r) => r.label === 'todo.txt')!;
  };
  const versionRows = async () => children((await objectRow()).node);
  const put = (text: string) => {
    const body = path.join(fixtures, `body-${Date.now()}.txt`);
    writeFileSync(body, text);
    return aws('s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', body).VersionId as string;
  };
  /** Times and sizes as the aws CLI reports them, newest first. */
  const listed = () => {
    const out = aws('s3api', 'list-object-versions', '--bucket', bucket, '--prefix', key) as { Versions?: { VersionId: string; Size: number; LastModified: string }[]; DeleteMarkers?: { VersionId: string; LastModified: string }[] };
    return { versions: out.Versions ?? [], markers: out.DeleteMarkers ?? [] };
  };

  before(async function () {
    assert.ok(endpoint, 'SI_S3_ENDPOINT is not set: run the suites under scripts/moto.sh');
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await cmd('s3.addConnection', { id: connectionId, name: connectionName, endpoint, region: 'us-east-1', forcePathStyle: true, accessKeyId: awsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: awsEnv.AWS_SECRET_ACCESS_KEY });
    aws('s3api', 'create-bucket', '--bucket', bucket);
    aws('s3api', 'put-bucket-versioning', '--bucket', bucket, '--versioning-configuration', 'Status=Enabled');
    put('first\n');
    put('second, longer\n');
    aws('s3api', 'delete-object', '--bucket', bucket, '--key', key);
    const l = listed();
    for (const v of l.versions) versions.push({ id: v.VersionId, size: v.Size, time: v.LastModified });
    marker = { id: l.markers[0]!.VersionId, time: l.markers[0]!.LastModified };
    await cmd('s3.showDeleted');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await cmd('s3.hideDeleted'); // the view's state is shared with the suites that run after this one
    await cmd('s3.removeConnection', { connectionId }, { confirm: true });
  });

  it('labels version rows by time, with latest / delete marker and size first and the short id last', async () => {
    const rows = await versionRows();
    assert.equal(rows.length, 3);
    for (const r of rows) assert.match(r.label, /^(just now|\d+ minutes? ago)$/, `${r.label} reads as a time`);
    const newer = versions.find((v) => v.size === 'second, longer\n'.length)!;
    const older = versions.find((v) => v.size === 'first\n'.length)!;
    assert.deepEqual(rows.map((r) => r.description), [
      `latest · delete marker · ${marker.id.slice(0, 8)}`,
      `${newer.size} B · ${newer.id.slice(0, 8)}`,
      `${older.size} B · ${older.id.slice(0, 8)}`,
    ]);
    // The tooltip has what the label leaves out: the full id and the absolute time.
    assert.ok(rows[1]!.tooltip?.includes(newer.id), 'the full version id is in the tooltip');
    assert.ok(rows[1]!.tooltip?.includes(minute(newer.time)), 'the absolute time is in the tooltip');
  });

  it('titles a version tab "key @ time (short id)", so two open versions are told apart', async () => {
    const rows = await versionRows();
    const titles: string[] = [];
    for (const r of rows.slice(1)) {
      const v = r.node as Extract<S3Node, { kind: 's3Version' }>;
      const shown = activeTabShows((u) => u.query.includes(v.versionId));
      await cmd('s3.openObject', r.node);
      titles.push((await shown).label);
    }
    const [newer, older] = [rows[1]!.node, rows[2]!.node].map((n) => versions.find((v) => v.id === (n as { versionId: string }).versionId)!);
    assert.deepEqual(titles, [`todo.txt @ ${minute(newer!.time)} (${newer!.id.slice(0, 8)})`, `todo.txt @ ${minute(older!.time)} (${older!.id.slice(0, 8)})`]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('keeps "Open as Database" off delete markers and non-SQLite names, and offers Undelete only on the newest marker', async () => {
    const menus = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } }).contributes.menus['view/item/context']!;
    const clause = (command: string) => new RegExp(/viewItem =~ \/(.*)\/$/.exec(menus.find((m) => m.command === command)!.when!)![1]!);
    const rows = await versionRows();
    const [markerRow, versionRow] = [rows[0]!, rows[1]!];
    assert.equal(clause('storageInspector.sql.openAsDatabase').test(markerRow.contextValue!), false, 'no Open as Database on a marker');
    assert.equal(clause('storageInspector.sql.openAsDatabase').test(versionRow.contextValue!), false, 'a .txt version is no database');
    assert.equal(clause('storageInspector.sql.openAsDatabase').test(`${versionRow.contextValue!}.sqlite`), true, 'a version of a .db has it');
    assert.equal(clause('storageInspector.sql.openAsDatabase').test(`${markerRow.contextValue!}.sqlite`), false, 'a .db\'s marker has no bytes to open');
    assert.equal(clause('storageInspector.s3.undelete').test(markerRow.contextValue!), true);
    assert.equal(clause('storageInspector.s3.undelete').test('s3Version.marker'), false, 'an older marker hides nothing');
  });

  it('asks before undeleting, naming the object and the delete marker, and changes nothing on No', async () => {
    const markerRow = (await versionRows())[0]!;
    const question = capture('showWarningMessage', () => undefined);
    try {
      assert.equal(await cmd('s3.undelete', markerRow.node), false);
    } finally {
      question.restore();
    }
    assert.equal(question.seen.length, 1);
    assert.match(question.seen[0]!, new RegExp(`^Undelete s3://${bucket}/${key}\\? This removes its delete marker ${marker.id.slice(0, 8)}`));
    assert.equal(listed().markers.length, 1, 'the marker is still there');
  });

  it('undeletes after a yes, says what changed, and "Open" opens the object', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const markerRow = (await versionRows())[0]!;
    const newer = versions.find((v) => v.size === 'second, longer\n'.length)!;
    const question = capture('showWarningMessage', (_m, buttons) => buttons[0]);
    const info = capture('showInformationMessage', (_m, buttons) => (buttons.includes('Open') ? 'Open' : undefined));
    const opened = activeTabShows((u) => u.path === `/${bucket}/${key}` && u.query === '');
    let tab: vscode.Tab | undefined;
    try {
      assert.equal(await cmd('s3.undelete', markerRow.node), true);
      tab = await opened;
    } finally {
      question.restore();
      info.restore();
    }
    assert.deepEqual(info.seen, [`Undeleted s3://${bucket}/${key}: removed its delete marker; the version ${newer.id.slice(0, 8)} (${minute(newer.time)}) is the latest again.`]);
    assert.equal(listed().markers.length, 0);
    assert.equal((await vscode.workspace.openTextDocument((tab!.input as vscode.TabInputText).uri)).getText(), 'second, longer\n', 'the undeleted object opened');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('restores a version and says which one became the latest', async () => {
    const older = versions.find((v) => v.size === 'first\n'.length)!;
    const row = (await versionRows()).find((r) => (r.node as { versionId: string }).versionId === older.id)!;
    const info = capture('showInformationMessage');
    let restored = '';
    try {
      restored = await cmd<string>('s3.restoreVersion', row.node);
    } finally {
      info.restore();
    }
    assert.equal(listed().versions[0]!.VersionId, restored, 'the aws CLI sees the restored copy as the latest');
    assert.deepEqual(info.seen, [`Restored version ${older.id.slice(0, 8)} (${minute(older.time)}) of s3://${bucket}/${key} as the new latest version ${restored.slice(0, 8)}. Older versions are kept.`]);
  });

  it('asks before deleting a version permanently, naming it, and reports what is left', async () => {
    const older = versions.find((v) => v.size === 'first\n'.length)!;
    const row = (await versionRows()).find((r) => (r.node as { versionId: string }).versionId === older.id)!;
    const question = capture('showWarningMessage', (_m, buttons) => buttons[0]);
    const info = capture('showInformationMessage');
    try {
      assert.equal(await cmd('s3.deleteVersion', row.node), true);
    } finally {
      question.restore();
      info.restore();
    }
    assert.deepEqual(question.seen, [`Delete version ${older.id.slice(0, 8)} (${minute(older.time)}) of s3://${bucket}/${key} permanently? Its bytes are gone for good; this cannot be undone.`]);
    assert.deepEqual(info.seen, [`Deleted the version ${older.id.slice(0, 8)} (${minute(older.time)}) of s3://${bucket}/${key} permanently. 2 version(s) of the key are left.`]);
    assert.ok(!listed().versions.some((v) => v.VersionId === older.id), 'the aws CLI no longer lists it');
  });

  it('copies and renames with a message naming both keys', async () => {
    const info = capture('showInformationMessage');
    try {
      assert.equal(await cmd('s3.copyObject', { connectionId, bucket, key }, { key: 'notes/copy.txt' }), 'notes/copy.txt');
      assert.equal(await cmd('s3.rename', { kind: 's3Object', connectionId, bucket, key: 'notes/copy.txt', versioned: true }, { key: 'notes/renamed.txt' }), 'notes/renamed.txt');
    } finally {
      info.restore();
    }
    assert.deepEqual(info.seen, [
      `Copied s3://${bucket}/${key} to s3://${bucket}/notes/copy.txt.`,
      `Renamed s3://${bucket}/notes/copy.txt to s3://${bucket}/notes/renamed.txt. The old key keeps its versions under a delete marker.`,
    ]);
    assert.equal(String(aws('s3api', 'head-object', '--bucket', bucket, '--key', 'notes/renamed.txt').ContentLength), String('first\n'.length));
  });

  it('says where a save from a tab landed', async () => {
    const uri = vscode.Uri.from({ scheme: 'storage-s3', authority: connectionId, path: `/${bucket}/notes/renamed.txt` });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    let heard: (m: string) => void = () => undefined;
    const said = new Promise<string>((resolve) => (heard = resolve));
    const info = capture('showInformationMessage', (m) => { heard(m); return undefined; });
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), 'saved from a tab\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await doc.save());
      assert.equal(await said, `Saved s3://${bucket}/notes/renamed.txt to S3.`);
    } finally {
      info.restore();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the Reveal of a save\'s message selects the object in the S3 view, however many pages down its folder lists it', async () => {
    const body = path.join(fixtures, 'page.txt');
    writeFileSync(body, 'page\n');
    for (const k of ['a', 'b', 'c', 'd', 'z']) aws('s3api', 'put-object', '--bucket', bucket, '--key', `paged/${k}.txt`, '--body', body);
    const settings = vscode.workspace.getConfiguration('storageInspector');
    await settings.update('s3.pageSize', 2, vscode.ConfigurationTarget.Global);
    const info = capture('showInformationMessage', (m, buttons) => (m.startsWith('Saved') && buttons.includes('Reveal') ? 'Reveal' : undefined));
    try {
      await cmd('s3.refresh');
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'storage-s3', authority: connectionId, path: `/${bucket}/paged/z.txt` }));
      await vscode.window.showTextDocument(doc);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), 'saved, then revealed\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await doc.save());
      // The click is answered at once; the reveal runs after it, so the selection comes a moment later.
      const id = `o:${connectionId}/${bucket}/paged/z.txt`;
      let selected: string[] = [];
      for (let t = 0; t < 60 && !selected.includes(id); t++) {
        selected = await cmd<string[]>('s3.internal.selection');
        if (!selected.includes(id)) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(info.seen.includes(`Saved s3://${bucket}/paged/z.txt to S3.`), info.seen.join(' | '));
      assert.deepEqual(selected, [id], 'the object on the folder\'s third page is selected');
    } finally {
      info.restore();
      await settings.update('s3.pageSize', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('from the palette acts on the active tab before anything else, and asks when nothing is given', async () => {
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Nothing active, no visible view: the picker asks for the object.
    assert.equal(await cmd('s3.copyUri', { pick: connectionName, text: `s3://${bucket}/notes/renamed.txt` }), `s3://${bucket}/notes/renamed.txt`);
    const opened = activeTabShows((u) => u.path === `/${bucket}/${key}`);
    await cmd('s3.openObject', { connectionId, bucket, key });
    await opened;
    assert.equal(await cmd('s3.copyUri'), `s3://${bucket}/${key}`, 'the active tab is the target');
    assert.equal(await cmd('s3.copyUri', { connectionId, bucket, key: 'notes/renamed.txt' }), `s3://${bucket}/notes/renamed.txt`, 'an argument comes first');
    // A version tab is what "Compare with Latest" takes.
    const v = (await versionRows()).find((r) => !(r.node as { isLatest: boolean }).isLatest)!.node as Extract<S3Node, { kind: 's3Version' }>;
    const versionTab = activeTabShows((u) => u.query.includes(v.versionId));
    await cmd('s3.openObject', v);
    await versionTab;
    await cmd('s3.compareWithLatest');
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputTextDiff, 'a diff is open');
    assert.ok(input.original.query.includes(v.versionId), 'of the version in the active tab');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Add S3 Connection: step counter, a bad endpoint refused at its step, Back, and a failed test fixed without retyping', async () => {
    const shown: StepShown[] = [];
    const name = `wizard ${stamp}`;
    const info = capture('showInformationMessage');
    let id: string | undefined;
    try {
      id = await cmd<string>('s3.addConnection', {
        steps: [name, 'ftp://nas', 'http://127.0.0.1:9', '<back>', 'http://127.0.0.1:9', 'us-east-1', 'Path-style', 'Access key pair', awsEnv.AWS_ACCESS_KEY_ID!, awsEnv.AWS_SECRET_ACCESS_KEY!, 'Change the Endpoint', endpoint!],
        onStep: (s: StepShown) => shown.push(s),
      });
    } finally {
      info.restore();
    }
    assert.ok(id, 'the connection was added');
    assert.deepEqual(shown.map((s) => s.counter), ['Step 1 of 8', 'Step 2 of 8', 'Step 2 of 8', 'Step 3 of 8', 'Step 2 of 8', 'Step 3 of 8', 'Step 4 of 8', 'Step 5 of 8', 'Step 6 of 8', 'Step 7 of 8', 'Step 8 of 8', 'Step 2 of 8']);
    assert.match(shown[1]!.message ?? '', /use http:\/\/ or https:\/\//, 'the endpoint is checked at its own step');
    assert.equal(shown[4]!.prefilled, 'http://127.0.0.1:9', 'Back keeps what was typed');
    assert.equal(shown[9]!.value, '***', 'the secret is never echoed');
    assert.match(shown[10]!.message ?? '', /127\.0\.0\.1:9|connect|refused/i, 'the test says why it failed');
    assert.equal(shown[11]!.prefilled, 'http://127.0.0.1:9', 'fixing starts from what was typed');
    assert.match(info.seen.join('\n'), new RegExp(`Added the S3 connection "${name}"; it works: \\d+ buckets?`));
    const setting = JSON.stringify(vscode.workspace.getConfiguration('storageInspector').get('s3.connections'));
    assert.ok(setting.includes(endpoint!) && !setting.includes(awsEnv.AWS_SECRET_ACCESS_KEY!), 'the endpoint is saved, the secret is not in the settings');
    const report = await cmd<{ ok: string[]; failed: string[] }>('s3.testConnection', { connectionId: id });
    assert.deepEqual(report.failed, []);
    assert.ok(report.ok.includes('credentials from the stored access key pair'), 'the keys went to the secret storage');
    assert.ok(await cmd<boolean>('s3.removeConnection', { connectionId: id }, { confirm: true }));
  });

  it('Edit S3 Connection starts from what is saved, and an empty secret keeps the stored one', async () => {
    const shown: StepShown[] = [];
    const renamed = `${connectionName} edited`;
    const info = capture('showInformationMessage');
    try {
      assert.equal(await cmd('s3.editConnection', { connectionId }, {
        steps: [renamed, endpoint!, 'us-east-1', 'Path-style', 'Access key pair', awsEnv.AWS_ACCESS_KEY_ID!, ''],
        onStep: (s: StepShown) => shown.push(s),
      }), connectionId);
    } finally {
      info.restore();
    }
    assert.deepEqual(shown.slice(0, 6).map((s) => s.prefilled), [connectionName, endpoint, 'us-east-1', 'Path-style', 'Access key pair', awsEnv.AWS_ACCESS_KEY_ID]);
    assert.equal(shown[6]!.prefilled, undefined, 'the stored secret is never shown');
    assert.match(info.seen.join('\n'), new RegExp(`Saved the S3 connection "${renamed}"; it works`));
    const report = await cmd<{ ok: string[]; failed: string[] }>('s3.testConnection', { connectionId });
    assert.deepEqual(report.failed, [], 'the kept secret still works');
  });

  it('"Test S3 Connection" counts folders as well as objects at the top of the first bucket', async () => {
    const folders = `0si-folders-${stamp}`;
    aws('s3api', 'create-bucket', '--bucket', folders);
    const tree = path.join(fixtures, 'three-folders');
    for (const d of ['a', 'b', 'c']) {
      mkdirSync(path.join(tree, d), { recursive: true });
      writeFileSync(path.join(tree, d, 'f.txt'), 'f\n');
    }
    execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint!, 's3', 'cp', '--recursive', '--quiet', tree, `s3://${folders}/`], { env: awsEnv });
    const report = await cmd<{ ok: string[]; failed: string[] }>('s3.testConnection', { connectionId });
    assert.deepEqual(report.failed, []);
    const line = report.ok.find((l) => l.startsWith('contents: '));
    const first = /at the top of bucket (\S+)$/.exec(line ?? '')?.[1];
    assert.ok(first, `a contents line: ${report.ok.join(' | ')}`);
    // The oracle: what the aws CLI lists at that bucket's top level.
    const top = aws('s3api', 'list-objects-v2', '--bucket', first, '--delimiter', '/') as { CommonPrefixes?: unknown[]; Contents?: unknown[] };
    const [p, o] = [top.CommonPrefixes?.length ?? 0, top.Contents?.length ?? 0];
    assert.equal(line, `contents: ${p} ${p === 1 ? 'folder' : 'folders'}, ${o} ${o === 1 ? 'object' : 'objects'} at the top of bucket ${first}`);
    if (first === folders) assert.equal(line, `contents: 3 folders, 0 objects at the top of bucket ${folders}`);
  });

  it('Add S3 Connection: Back keeps a value its check refused, so it comes back with its step', async () => {
    const shown: StepShown[] = [];
    const name = `kept ${stamp}`;
    // The scripted answers run out at the last step shown (the command then ends, or throws, without
    // saving): what was shown up to there is the point.
    await Promise.resolve(cmd('s3.addConnection', { steps: [name, 'ftp://nas', '<back>', name, 'ftp://nas2'], onStep: (s: StepShown) => shown.push(s) })).catch(() => undefined);
    assert.deepEqual(shown.map((s) => s.counter), ['Step 1 of 8', 'Step 2 of 8', 'Step 2 of 8', 'Step 1 of 8', 'Step 2 of 8']);
    assert.match(shown[1]!.message ?? '', /http:\/\/ or https:\/\//, 'ftp:// is refused at its step');
    assert.equal(shown[4]!.prefilled, 'ftp://nas', 'the refused text is back after Back');
  });

  it('deletes one object after a question naming it, and says a delete marker hides it', async () => {
    const one = 'notes/one.txt';
    const body = path.join(fixtures, 'one.txt');
    writeFileSync(body, 'one\n');
    aws('s3api', 'put-object', '--bucket', bucket, '--key', one, '--body', body);
    const asked = capture('showWarningMessage');
    const info = capture('showInformationMessage');
    try {
      assert.equal(await cmd('s3.delete', { kind: 's3Object', connectionId, bucket, key: one, versioned: true }, { confirm: true }), true);
    } finally {
      asked.restore();
      info.restore();
    }
    assert.deepEqual(info.seen, [`Deleted s3://${bucket}/${one}: a delete marker hides it and its versions are kept; "Undelete" brings it back (turn on "Show Deleted Objects" to see it).`]);
    const out = aws('s3api', 'list-object-versions', '--bucket', bucket, '--prefix', one) as { Versions?: unknown[]; DeleteMarkers?: { IsLatest: boolean }[] };
    assert.equal(out.Versions?.length, 1);
    assert.deepEqual(out.DeleteMarkers?.map((m) => m.IsLatest), [true]);
  });

  it('marks only SQLite-like names (layers peeled) for "Open as Database"', async () => {
    const body = path.join(fixtures, 'db.bin');
    writeFileSync(body, 'SQLite format 3\0');
    for (const k of ['dbs/shop.db.gz.age', 'dbs/shop.sqlite3', 'dbs/log.json.gz']) aws('s3api', 'put-object', '--bucket', bucket, '--key', k, '--body', body);
    await cmd('s3.refresh');
    const conn = (await children()).find((r) => (r.node as { connectionId?: string }).connectionId === connectionId)!;
    const b = (await children(conn.node)).find((r) => r.label === bucket)!;
    const dbs = (await children(b.node)).find((r) => r.label === 'dbs/')!;
    const rows = await children(dbs.node);
    const menus = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } }).contributes.menus['view/item/context']!;
    const clause = new RegExp(/viewItem =~ \/(.*)\/$/.exec(menus.find((m) => m.command === 'storageInspector.sql.openAsDatabase')!.when!)![1]!);
    assert.deepEqual(rows.map((r) => [r.label, clause.test(r.contextValue!)]), [['log.json.gz', false], ['shop.db.gz.age', true], ['shop.sqlite3', true]]);
  });
});
