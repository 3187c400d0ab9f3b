import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { S3Node } from '../../src/vscode/s3/nodes';

const EXTENSION_ID = 'storage-inspector.storage-inspector';
const cmd = <T>(id: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(`storageInspector.${id}`, ...args);
interface Row { node: S3Node; label: string }
interface Report { action: string; total: number; done: string[]; failed: { item: string; code: string; message: string }[]; skipped: string[]; cancelled: boolean; doneCount?: number }
interface Outcome { report: Report; reportUri: string }
const children = (node?: S3Node) => cmd<Row[]>('s3.internal.rows', node);

const endpoint = process.env.SI_S3_ENDPOINT;
const awsEnv = { ...process.env, AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'testing', AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing', AWS_DEFAULT_REGION: 'us-east-1' };
/** The independent side: AWS CLI v2 against the same server. */
const aws = (...args: string[]): Record<string, unknown> => JSON.parse(execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint!, '--output', 'json', ...args], { env: awsEnv }).toString() || '{}') as Record<string, unknown>;
const keysIn = (bucket: string, prefix = ''): string[] => ((aws('s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', prefix).Contents ?? []) as { Key: string }[]).map((o) => o.Key).sort();
const reportText = async (o: Outcome) => (await vscode.workspace.openTextDocument(vscode.Uri.parse(o.reportUri))).getText();

describe('s3 bulk', function () {
  const fixtures = mkdtempSync(path.join(process.env.SI_FIXTURES ?? tmpdir(), 's3bulk-'));
  const connectionId = `bulk-${Date.now()}`;
  const bucket = `si-bulk-${Date.now()}`;
  const other = `si-bulk-to-${Date.now()}`;
  const put = (key: string, body = key) => {
    const f = path.join(fixtures, 'body');
    writeFileSync(f, body);
    aws('s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', f);
  };
  /** The rows under a path of labels, as the user expands them, after a refresh. */
  const rowsAt = async (...labels: string[]): Promise<Row[]> => {
    await cmd('s3.refresh');
    const conn = (await children()).find((r) => (r.node as { connectionId?: string }).connectionId === connectionId)!;
    let rows = await children(conn.node);
    for (const l of [bucket, ...labels]) {
      const r = rows.find((x) => x.label === l);
      assert.ok(r, `${l} is listed`);
      rows = await children(r.node);
    }
    return rows;
  };
  const nodes = (rows: Row[], ...labels: string[]) => labels.map((l) => rows.find((r) => r.label === l)!.node);

  before(async function () {
    assert.ok(endpoint, 'SI_S3_ENDPOINT is not set: run the suites under scripts/moto.sh');
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    // Deleted objects stay listed (as deleted) when an earlier suite left "Show Deleted" on.
    await cmd('s3.hideDeleted');
    aws('s3api', 'create-bucket', '--bucket', bucket);
    aws('s3api', 'put-bucket-versioning', '--bucket', bucket, '--versioning-configuration', 'Status=Enabled');
    aws('s3api', 'create-bucket', '--bucket', other);
    for (const k of ['docs/a.txt', 'docs/b.txt', 'docs/c.txt', 'docs/sub/d.txt', 'img/x.png', 'logs/2026/01.log', 'logs/2026/02.log']) put(k);
    put('logs/2026/01.log', 'second version');
    await cmd('s3.addConnection', { id: connectionId, name: 'moto-bulk', endpoint, region: 'us-east-1', forcePathStyle: true, accessKeyId: awsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: awsEnv.AWS_SECRET_ACCESS_KEY });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await cmd('s3.removeConnection', { connectionId }, { confirm: true });
  });

  it('a declined question deletes nothing', async () => {
    const rows = await rowsAt('docs/');
    const sel = nodes(rows, 'a.txt', 'b.txt');
    assert.equal(await cmd('s3.deleteSelected', sel[0], sel, { confirm: false }), undefined);
    assert.deepEqual(keysIn(bucket, 'docs/'), ['docs/a.txt', 'docs/b.txt', 'docs/c.txt', 'docs/sub/d.txt']);
  });

  it('deletes a multi-selection (an object and a folder) and the report document lists each key', async () => {
    const rows = await rowsAt('docs/');
    const sel = nodes(rows, 'a.txt', 'sub/');
    const out = await cmd<Outcome>('s3.deleteSelected', sel[1], sel, { confirm: true });
    assert.deepEqual(out.report.done.sort(), ['docs/a.txt', 'docs/sub/d.txt']);
    assert.deepEqual(keysIn(bucket, 'docs/'), ['docs/b.txt', 'docs/c.txt'], 'the aws CLI sees the rest only');
    const text = await reportText(out);
    assert.match(text, /2 of 2 done, 0 failed/);
    assert.match(text, /docs\/sub\/d\.txt/);
    // The folder's re-listing can still be on its way when the command returns (it shares the
    // one the file system's change event started): wait for it, a bounded number of times.
    let labels: string[] = [];
    for (let i = 0; i < 50; i++) {
      labels = (await rowsAt('docs/')).map((r) => r.label);
      if (!labels.includes('a.txt')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(labels.includes('b.txt') && !labels.includes('a.txt'), `the tree shows the change: ${labels.join(', ')}`);
  });

  it('downloads a selection into a folder, keeps an existing local file unless told to replace it, and reports a key that vanished', async () => {
    const folder = path.join(fixtures, 'dl');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'c.txt'), 'my local copy');
    const rows = await rowsAt('docs/');
    put('docs/gone.txt');
    const [b, c] = nodes(rows, 'b.txt', 'c.txt');
    const sel = [b!, c!, { ...b!, key: 'docs/gone.txt' }];
    aws('s3api', 'delete-object', '--bucket', bucket, '--key', 'docs/gone.txt');
    const out = await cmd<Outcome>('s3.downloadSelected', sel[0], sel, { folder, pick: 'Skip Existing' });
    assert.deepEqual(out.report.done, ['docs/b.txt']);
    assert.deepEqual(out.report.skipped, ['docs/c.txt']);
    assert.deepEqual(out.report.failed.map((f) => [f.item, f.code]), [['docs/gone.txt', 'NotFound']]);
    assert.equal(readFileSync(path.join(folder, 'c.txt'), 'utf8'), 'my local copy');
    assert.match(await reportText(out), /docs\/gone\.txt` \(NotFound\): .*no such object/);
    const again = await cmd<Outcome>('s3.downloadSelected', sel[1], sel.slice(1, 2), { folder, pick: 'Replace' });
    assert.deepEqual(again.report.done, ['docs/c.txt']);
    assert.equal(readFileSync(path.join(folder, 'c.txt'), 'utf8'), 'docs/c.txt');
  });

  it('copies a selection to another bucket and folder, keeping paths below the common folder', async () => {
    const rows = await rowsAt();
    const sel = nodes(rows, 'docs/', 'img/');
    const out = await cmd<Outcome>('s3.copySelected', sel[0], sel, { text: `s3://${other}/copied` });
    assert.deepEqual(out.report.failed, []);
    assert.deepEqual(keysIn(other), ['copied/docs/b.txt', 'copied/docs/c.txt', 'copied/img/x.png']);
  });

  it('uploads a local folder to a folder with its relative paths, and downloads it back the same', async () => {
    const src = path.join(fixtures, 'site');
    mkdirSync(path.join(src, 'css'), { recursive: true });
    writeFileSync(path.join(src, 'index.html'), '<h1>hi</h1>');
    writeFileSync(path.join(src, 'css', 'main.css'), 'h1{}');
    const [docs] = nodes(await rowsAt(), 'docs/');
    const up = await cmd<Outcome>('s3.uploadFolder', docs, { folder: src });
    assert.deepEqual(up.report.done.sort(), ['css/main.css', 'index.html']);
    assert.deepEqual(keysIn(bucket, 'docs/site/'), ['docs/site/css/main.css', 'docs/site/index.html']);
    const [site] = nodes(await rowsAt('docs/'), 'site/');
    const back = path.join(fixtures, 'site-back');
    const down = await cmd<Outcome>('s3.downloadFolder', site, { folder: back });
    assert.equal(down.report.done.length, 2);
    execFileSync('/usr/bin/diff', ['-r', src, back]);
  });

  it('deletes a folder with every version only after the folder is typed; a wrong answer deletes nothing', async () => {
    const [logs] = nodes(await rowsAt(), 'logs/');
    assert.equal(await cmd('s3.deletePrefix', logs, { text: 'logs' }), undefined);
    assert.equal(((aws('s3api', 'list-object-versions', '--bucket', bucket, '--prefix', 'logs/').Versions ?? []) as unknown[]).length, 3);
    const out = await cmd<Outcome>('s3.deletePrefix', logs, { text: 'logs/' });
    assert.equal(out.report.doneCount, 3);
    const left = aws('s3api', 'list-object-versions', '--bucket', bucket, '--prefix', 'logs/');
    assert.equal(left.Versions, undefined, 'no version left');
    assert.equal(left.DeleteMarkers, undefined, 'no delete marker left');
    assert.deepEqual((await rowsAt()).map((r) => r.label).includes('logs/'), false);
  });

  it('finds objects by glob without expanding folders, and the pick opens the object', async () => {
    put('img/deep/er/notes.md', '# notes');
    const [root] = (await children((await children()).find((r) => (r.node as { connectionId?: string }).connectionId === connectionId)!.node)).filter((r) => r.label === bucket);
    const out = await cmd<{ matches: string[]; picked?: string }>('s3.findObjects', root!.node, { pattern: 'img/**/*.md', pick: 'img/deep/er/notes.md' });
    assert.deepEqual(out.matches, ['img/deep/er/notes.md']);
    assert.equal(out.picked, 'img/deep/er/notes.md');
    for (let t = 0; t < 40 && !vscode.window.activeTextEditor?.document.uri.path.endsWith('notes.md'); t++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(vscode.window.activeTextEditor?.document.getText(), '# notes');
    const all = await cmd<{ matches: string[] }>('s3.findObjects', root!.node, { pattern: 'X.PN', pick: 'nothing picked' });
    assert.deepEqual(all.matches, ['img/x.png'], 'a plain pattern is a substring, any case');
  });

  it('Find Objects reveals a match three folders down and beyond the first page of each folder: the S3 view selects it', async () => {
    for (const n of ['1', '2', '3', '4', '5']) put(`tree/one/two/f${n}.txt`);
    put('tree/one/two/target.txt');
    const settings = vscode.workspace.getConfiguration('storageInspector');
    await settings.update('s3.pageSize', 2, vscode.ConfigurationTarget.Global);
    /** The view's selection once it holds `id` (the workbench tells the extension host a moment after the reveal). */
    const selectionOnce = async (id: string): Promise<string[]> => {
      let ids: string[] = [];
      for (let t = 0; t < 60 && !ids.includes(id); t++) {
        ids = await cmd<string[]>('s3.internal.selection');
        if (!ids.includes(id)) await new Promise((r) => setTimeout(r, 50));
      }
      return ids;
    };
    try {
      await cmd('s3.refresh');
      const conn = (await children()).find((r) => (r.node as { connectionId?: string }).connectionId === connectionId)!;
      const root = (await children(conn.node)).find((r) => r.label === bucket)!;
      assert.deepEqual((await children(root.node)).map((r) => r.label), ['docs/', 'img/', 'Load more...'], 'tree/ is beyond the bucket\'s first page');
      // The first match is on the folder's first page; revealing it makes the workbench show that page.
      const f1 = `o:${connectionId}/${bucket}/tree/one/two/f1.txt`;
      await cmd('s3.findObjects', root.node, { pattern: 'f1.txt', pick: 'tree/one/two/f1.txt', action: 'reveal' });
      assert.deepEqual(await selectionOnce(f1), [f1]);
      // The target is on the folder's third page, which nothing has listed yet.
      const target = `o:${connectionId}/${bucket}/tree/one/two/target.txt`;
      const out = await cmd<{ picked?: string }>('s3.findObjects', root.node, { pattern: 'target', pick: 'tree/one/two/target.txt', action: 'reveal' });
      assert.equal(out.picked, 'tree/one/two/target.txt');
      assert.deepEqual(await selectionOnce(target), [target], 'the S3 view selects the revealed object');
    } finally {
      await settings.update('s3.pageSize', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
