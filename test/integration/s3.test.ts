import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { S3Node } from '../../src/vscode/s3/nodes';

const EXTENSION_ID = 'storage-inspector.storage-inspector';
const cmd = <T>(id: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(`storageInspector.${id}`, ...args);
interface Row { node: S3Node; label: string; description?: string; contextValue?: string }
const children = (node?: S3Node) => cmd<Row[]>('s3.internal.rows', node);

const endpoint = process.env.SI_S3_ENDPOINT;
const awsEnv = { ...process.env, AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'testing', AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing', AWS_DEFAULT_REGION: 'us-east-1' };
/** The independent writer and reader: AWS CLI v2. */
const aws = (...args: string[]) => JSON.parse(execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint!, '--output', 'json', ...args], { env: awsEnv }).toString() || '{}') as Record<string, unknown>;

describe('s3', function () {
  const fixtures = mkdtempSync(path.join(process.env.SI_FIXTURES ?? tmpdir(), 's3-'));
  const connectionId = `moto-${Date.now()}`;
  const bucket = `si-int-${Date.now()}`;
  const key = 'conf/app/config.json.gz.age';
  let identityFile = '';
  let recipient = '';
  const versions: string[] = [];
  let marker = '';

  /** gzip + age with the CLIs, as another tool would write it. */
  const sealed = (name: string, text: string): string => {
    const plain = path.join(fixtures, name);
    writeFileSync(plain, text);
    execFileSync('/usr/bin/gzip', ['-f', '-k', plain]);
    execFileSync('/usr/bin/age', ['-r', recipient, '-o', `${plain}.gz.age`, `${plain}.gz`]);
    return `${plain}.gz.age`;
  };
  const openText = async (versionId?: string) => {
    const uri = vscode.Uri.from({ scheme: 'storage-s3', authority: connectionId, path: `/${bucket}/${key}`, query: versionId ? `versionId=${versionId}` : '' });
    return vscode.workspace.openTextDocument(uri);
  };
  const versionRows = async (): Promise<Row[]> => {
    // The aws CLI's writes are invisible to the view until a refresh, as for a user.
    await cmd('s3.refresh');
    const conn = (await children()).find((r) => (r.node as { connectionId?: string }).connectionId === connectionId)!;
    const b = (await children(conn.node)).find((r) => r.label === bucket)!;
    const conf = (await children(b.node)).find((r) => r.label === 'conf/')!;
    const app = (await children(conf.node)).find((r) => r.label === 'app/')!;
    const obj = (await children(app.node)).find((r) => r.label === 'config.json.gz.age')!;
    assert.ok(obj, 'the object is listed');
    return children(obj.node);
  };
  const readBack = (): string => {
    const out = path.join(fixtures, `back-${Date.now()}.age`);
    aws('s3api', 'get-object', '--bucket', bucket, '--key', key, out);
    return execFileSync('/bin/sh', ['-c', '/usr/bin/age -d -i "$1" "$2" | /usr/bin/gzip -dc', 'sh', identityFile, out]).toString();
  };

  before(async function () {
    assert.ok(endpoint, 'SI_S3_ENDPOINT is not set: run the suites under scripts/moto.sh');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    identityFile = path.join(fixtures, 'key.txt');
    execFileSync('/usr/bin/age-keygen', ['-o', identityFile], { stdio: 'ignore' });
    recipient = execFileSync('/usr/bin/age-keygen', ['-y', identityFile]).toString().trim();
    await cmd('keys.importIdentity', identityFile);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('adds a connection (keys into SecretStorage, not settings), creates a bucket and enables versioning', async () => {
    await cmd('s3.addConnection', { id: connectionId, name: 'moto', endpoint, region: 'us-east-1', forcePathStyle: true, accessKeyId: awsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: awsEnv.AWS_SECRET_ACCESS_KEY });
    const setting = JSON.stringify(vscode.workspace.getConfiguration('storageInspector').get('s3.connections'));
    assert.ok(setting.includes(connectionId));
    assert.ok(!setting.includes(awsEnv.AWS_SECRET_ACCESS_KEY!), 'the secret key is not in the settings');
    const report = await cmd<{ ok: string[]; failed: string[] }>('s3.testConnection', { connectionId });
    assert.deepEqual(report.failed, []);
    assert.equal(await cmd('s3.createBucket', { kind: 's3Connection', connectionId }, { name: bucket }), bucket);
    await cmd('s3.enableVersioning', { kind: 's3Bucket', connectionId, bucket });
    const conn = (await children()).find((r) => (r.node as { connectionId?: string }).connectionId === connectionId)!;
    const row = (await children(conn.node)).find((r) => r.label === bucket);
    assert.equal(row?.description, 'versioning enabled');
  });

  it('shows a connection that cannot connect as an error row with a retry, and the view still works', async () => {
    const deadId = `dead-${Date.now()}`;
    // Port 9 (discard) on loopback: nothing listens there.
    await cmd('s3.addConnection', { id: deadId, name: 'unreachable', endpoint: 'http://127.0.0.1:9', region: 'us-east-1', forcePathStyle: true, accessKeyId: 'a', secretAccessKey: 'b' });
    const dead = (await children()).find((r) => (r.node as { connectionId?: string }).connectionId === deadId)!;
    const rows = await children(dead.node);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.contextValue, 'error');
    assert.match(rows[0]!.label, /unreachable.*retry/i);
    assert.ok((await children()).length >= 2, 'the other connections still list');
    assert.ok(await cmd<boolean>('s3.removeConnection', { connectionId: deadId }, { confirm: true }));
  });

  it('shows exactly the three versions the aws CLI put and its delete marker, newest first', async () => {
    for (let i = 1; i <= 3; i++) {
      const out = aws('s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', sealed(`v${i}.json`, `{"version": ${i}}\n`));
      versions.push(out.VersionId as string);
    }
    marker = aws('s3api', 'delete-object', '--bucket', bucket, '--key', key).VersionId as string;
    await cmd('s3.showDeleted');
    const rows = await versionRows();
    assert.deepEqual(rows.map((r) => (r.node as { versionId: string }).versionId), [marker, versions[2], versions[1], versions[0]]);
    assert.match(rows[0]!.label, /^(just now|\d+ minutes? ago)$/, 'a version row is labelled by its time');
    assert.equal(rows[0]!.description, `latest · delete marker · ${marker.slice(0, 8)}`);
    assert.deepEqual(rows.map((r) => r.contextValue), ['s3Version.latest.marker', 's3Version', 's3Version', 's3Version']);
  });

  it('opens each version decoded, as JSON, read-only', async () => {
    for (const [i, id] of versions.entries()) {
      const doc = await openText(id);
      assert.equal(doc.getText(), `{"version": ${i + 1}}\n`);
      // The language follows the inner name; it is set just after the document opens.
      for (let t = 0; t < 40 && doc.languageId !== 'json'; t++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(doc.languageId, 'json');
    }
    const stat = await vscode.workspace.fs.stat((await openText(versions[0])).uri);
    assert.equal(stat.permissions, vscode.FilePermission.Readonly);
  });

  it('diffs two versions', async () => {
    const rows = await versionRows();
    const [, v3, v2] = rows;
    await cmd('s3.compareVersions', v3!.node, [v3!.node, v2!.node]);
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
    assert.match(input.original.query, new RegExp(versions[2]!));
    assert.match(input.modified.query, new RegExp(versions[1]!));
  });

  it('undeletes by removing the marker (after asking), then restores the first version', async () => {
    let rows = await versionRows();
    const markerRow = rows.find((r) => (r.node as { isDeleteMarker: boolean }).isDeleteMarker)!;
    assert.equal(await cmd('s3.undelete', markerRow.node, { confirm: true }), true);
    rows = await versionRows();
    assert.equal(rows.length, 3);
    assert.ok(rows.every((r) => !(r.node as { isDeleteMarker: boolean }).isDeleteMarker));
    const first = rows.find((r) => (r.node as { versionId: string }).versionId === versions[0])!;
    const restored = await cmd<string>('s3.restoreVersion', first.node);
    rows = await versionRows();
    assert.equal(rows.length, 4);
    assert.equal((rows[0]!.node as { versionId: string }).versionId, restored);
    assert.equal((await openText()).getText(), '{"version": 1}\n');
    assert.equal(readBack(), '{"version": 1}\n');
  });

  it('saves an edit in a tab as a new version that aws + age -d read back', async () => {
    const doc = await openText();
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), '{"version": "edited"}\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save(), 'the save succeeds');
    const rows = await versionRows();
    assert.equal(rows.length, 5);
    assert.equal(readBack(), '{"version": "edited"}\n');
  });

  it('refuses a save when the aws CLI wrote in between, and their version stays intact', async () => {
    const doc = await openText();
    await vscode.window.showTextDocument(doc);
    const theirs = aws('s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', sealed('theirs.json', '{"by": "cli"}\n')).VersionId as string;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), '{"version": "mine"}\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(await doc.save(), false, 'the save is refused');
    const rows = await versionRows();
    assert.equal((rows[0]!.node as { versionId: string }).versionId, theirs);
    assert.equal(readBack(), '{"by": "cli"}\n');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a write through the provider after another writer is a Conflict even without the editor mtime check', async () => {
    // The editor also compares mtimes before saving; this path reaches our If-Match alone.
    const uri = (await openText()).uri;
    await vscode.workspace.fs.readFile(uri);
    const theirs = aws('s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', sealed('theirs2.json', '{"by": "cli 2"}\n')).VersionId as string;
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from('{"version": "mine 2"}\n'))), /someone else changed it/);
    const rows = await versionRows();
    assert.equal((rows[0]!.node as { versionId: string }).versionId, theirs);
    assert.equal(readBack(), '{"by": "cli 2"}\n');
  });

  it('a delete redraws only the folder that holds the object, and pages loaded with "Load more" stay loaded', async () => {
    const body = path.join(fixtures, 'paged.txt');
    writeFileSync(body, 'paged\n');
    for (let i = 0; i < 5; i++) aws('s3api', 'put-object', '--bucket', bucket, '--key', `paged/f${i}.txt`, '--body', body);
    await vscode.workspace.getConfiguration('storageInspector').update('s3.pageSize', 2, vscode.ConfigurationTarget.Global);
    await cmd('s3.hideDeleted');
    try {
      await cmd('s3.refresh');
      const conn = (await children()).find((r) => (r.node as { connectionId?: string }).connectionId === connectionId)!;
      const folder = (await children((await children(conn.node)).find((r) => r.label === bucket)!.node)).find((r) => r.label === 'paged/')!;
      const first = await children(folder.node);
      assert.deepEqual(first.map((r) => r.label), ['f0.txt', 'f1.txt', 'Load more...']);
      await cmd('s3.loadMore', first[2]!.node);
      const loaded = await children(folder.node);
      assert.deepEqual(loaded.map((r) => r.label), ['f0.txt', 'f1.txt', 'f2.txt', 'f3.txt', 'Load more...']);
      await cmd('s3.internal.redrawn');
      assert.equal(await cmd('s3.delete', loaded[0]!.node, { confirm: true }), true);
      assert.deepEqual(await cmd<string[]>('s3.internal.redrawn'), [`p:${connectionId}/${bucket}/paged/`], 'one redraw, of the folder only');
      const after = await children(folder.node);
      assert.deepEqual(after.slice(0, 4).map((r) => r.label), ['f1.txt', 'f2.txt', 'f3.txt', 'f4.txt'], 'both loaded pages are still listed');
    } finally {
      await vscode.workspace.getConfiguration('storageInspector').update('s3.pageSize', undefined, vscode.ConfigurationTarget.Global);
      await cmd('s3.showDeleted');
    }
  });
});
