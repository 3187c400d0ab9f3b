// S3 bulk work as a user does it in the packaged extension: several objects picked with Ctrl+click,
// the context menu's bulk commands, a copy to another folder, the question that names what a delete
// removes, the toast, the report document; Download Selected into a folder picked in the dialog;
// Find Objects from a bucket's inline search button; a folder deleted with all its versions once
// its name is typed; "Open as Database" only on a SQLite-like name; and a single object's Delete,
// which asks with the object named, says what it did and leaves a delete marker.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { clearNotifications, dismissHover, menuTitles, openWorkbench, ROOT, pickDialogFolder, showStorage, toast, typeDialogPath, type Workbench } from '../support/workbench';

const endpoint = process.env.SI_S3_ENDPOINT;
const awsEnv = { ...process.env, AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'testing', AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing', AWS_DEFAULT_REGION: 'us-east-1' };
const versionsIn = (bucket: string, prefix: string): number => {
  const out = JSON.parse(execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint!, '--output', 'json', 's3api', 'list-object-versions', '--bucket', bucket, '--prefix', prefix], { env: awsEnv }).toString() || '{}') as { Versions?: unknown[]; DeleteMarkers?: unknown[] };
  return (out.Versions?.length ?? 0) + (out.DeleteMarkers?.length ?? 0);
};
/** The object's bytes as the aws CLI reads them. */
const bytesOf = (bucket: string, key: string): Buffer => execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint!, 's3', 'cp', `s3://${bucket}/${key}`, '-'], { env: awsEnv });
const keysIn = (bucket: string, prefix: string): string[] =>
  ((JSON.parse(execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint!, '--output', 'json', 's3api', 'list-objects-v2', '--bucket', bucket, '--prefix', prefix], { env: awsEnv }).toString() || '{}') as { Contents?: { Key: string }[] }).Contents ?? []).map((o) => o.Key).sort();

describe('S3 bulk operations in code-server', () => {
  let wb: Workbench;
  const bucket = 'ui-bulk';

  before(async () => {
    assert.ok(endpoint, 'SI_S3_ENDPOINT is not set: run the suites under scripts/moto.sh');
    wb = await openWorkbench('s3bulk', {
      prepare: (scratch) => {
        const data = path.join(scratch, 's3');
        execFileSync('bash', [path.join(ROOT, 'scripts/demo-s3.sh'), data], { stdio: 'ignore', env: { ...process.env, DEMO_S3_BUCKET: bucket } });
        // A compressed database at the top of the bucket: "Open as Database" is for it, not for a .json.gz.
        const db = path.join(scratch, 'shop.db.gz');
        writeFileSync(db, gzipSync(Buffer.from('SQLite format 3\0')));
        execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint!, 's3', 'cp', db, `s3://${bucket}/shop.db.gz`], { stdio: 'ignore', env: awsEnv });
        return { 'storageInspector.s3.connections': JSON.parse(readFileSync(path.join(data, 'demo-s3-connection.json'), 'utf8')) };
      },
    });
  });

  after(async () => wb?.close());

  /** Waits for a locator; on a timeout keeps a screenshot of what the user would see. */
  const seen = async (l: ReturnType<Workbench['row']>, name: string, timeout = 30_000) =>
    l.waitFor({ timeout }).catch(async (e: unknown) => { await wb.screenshot(`s3bulk-failure-${name}.png`); throw e; });

  const menu = async (title: string) => {
    const item = wb.page.locator('.context-view .action-label', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first();
    await item.waitFor({ timeout: 15_000 }).catch(async (e: unknown) => { await wb.screenshot('s3bulk-failure-menu.png'); throw e; });
    return item;
  };

  /** Selects the three November logs (a plain click on the first, Ctrl+click on the others) and opens the menu on the last. */
  const selectThree = async () => {
    const { page, row } = wb;
    // No Escape after the clicks below: in a tree it clears the selection. A hover is closed first.
    await dismissHover(page);
    // A plain click selects and opens the first; its tab opening takes the focus, which would close
    // a context menu opened before it: wait for it.
    await row('01.json.gz').click();
    await page.locator('.tabs-container .tab.active', { hasText: '01.json.gz' }).waitFor({ timeout: 30_000 });
    await page.locator('.editor-instance .view-lines', { hasText: '2026-11-01' }).first().waitFor({ timeout: 30_000 });
    await row('02.json.gz').click({ modifiers: ['Control'] });
    await row('03.json.gz').click({ modifiers: ['Control'] });
    assert.equal(await page.locator('.sidebar .monaco-list-row.selected').count(), 3, 'three rows selected');
    await row('03.json.gz').click({ button: 'right' });
  };

  it('selects three objects with Ctrl+click; the context menu offers the bulk commands', async () => {
    const { page, row } = wb;
    await showStorage(page, ['Local', 'SQL', 'Backups']);
    for (const label of ['Demo (local S3)', bucket, 'logs/', '2026/', '11/']) {
      await row(label).waitFor({ timeout: 60_000 }).catch(async (e: unknown) => { await wb.screenshot('s3bulk-failure.png'); throw e; });
      await row(label).click();
    }
    await row('01.json.gz').waitFor({ timeout: 30_000 });
    // One object's menu: "Open as Database" only where the name (layers peeled) reads as SQLite.
    await dismissHover(page);
    await row('01.json.gz').click({ button: 'right' });
    const jsonMenu = await menuTitles(page);
    assert.ok(jsonMenu.includes('Download...') && !jsonMenu.includes('Open as Database'), `a .json.gz is no database: ${jsonMenu.join(', ')}`);
    await wb.screenshot('s3bulk-json-menu.png');
    await page.keyboard.press('Escape');
    await dismissHover(page);
    await row('shop.db.gz').click({ button: 'right' });
    const dbMenu = await menuTitles(page);
    assert.ok(dbMenu.includes('Open as Database'), `a .db.gz is: ${dbMenu.join(', ')}`);
    await wb.screenshot('s3bulk-db-menu.png');
    await page.keyboard.press('Escape');
    await selectThree();
    // Only what acts on every selected object: no single-object command that would act on one.
    const multi = await menuTitles(page);
    assert.deepEqual(multi, ['Download Selected...', 'Copy Selected To...', 'Delete Selected...'], `the multi-selection menu: ${multi.join(', ')}`);
    await wb.screenshot('s3bulk-multiselect.png');
  });

  it('copies the selection to another folder, keeping the paths below their common folder, and reports', async () => {
    const { page, row } = wb;
    await (await menu('Copy Selected To...')).hover();
    await page.keyboard.press('Enter');
    const box = page.locator('.quick-input-widget input').first();
    await seen(page.locator('.quick-input-widget .quick-input-title', { hasText: 'Copy 3 object(s) to' }), 'copy-input');
    assert.equal(await box.inputValue(), `s3://${bucket}/logs/2026/11/`);
    await box.fill(`s3://${bucket}/archive/`);
    await page.keyboard.press('Enter');
    const said = toast(page, /Copied 3 of 3 objects/);
    await seen(said, 'copy-toast');
    assert.deepEqual(keysIn(bucket, 'archive/'), ['archive/01.json.gz', 'archive/02.json.gz', 'archive/03.json.gz'], 'the aws CLI sees the copies');
    await seen(row('archive/'), 'copy-tree');
    await wb.screenshot('s3bulk-copy.png');
    await clearNotifications(page);
    await selectThree();
  });

  it('downloads the selection into a folder picked in the dialog, byte for byte, and reports', async () => {
    const { page } = wb;
    const into = path.join(wb.scratch, 'selected');
    mkdirSync(into);
    await (await menu('Download Selected...')).hover();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.quick-input-widget');
    await seen(dialog.locator('.quick-input-title', { hasText: 'Download 3 object(s) into folder' }), 'selected-dialog');
    const said = toast(page, /Downloaded 3 of 3 objects/);
    await typeDialogPath(page, `${into}/`);
    await wb.screenshot('s3bulk-download-selected-dialog.png');
    await pickDialogFolder(page, into, said).catch(async (e: unknown) => { await wb.screenshot('s3bulk-failure-selected-toast.png'); throw e; });
    // The paths below the common folder (logs/2026/11/): the three files side by side.
    assert.deepEqual((readdirSync(into) as string[]).sort(), ['01.json.gz', '02.json.gz', '03.json.gz']);
    for (const f of ['01', '02', '03']) {
      assert.ok(readFileSync(path.join(into, `${f}.json.gz`)).equals(bytesOf(bucket, `logs/2026/11/${f}.json.gz`)), `${f}.json.gz has the bytes the aws CLI reads`);
    }
    assert.deepEqual((await said.locator('.monaco-button').allTextContents()).map((t) => t.trim()).filter((t) => t !== ''), ['Show Report']);
    await wb.screenshot('s3bulk-download-selected.png');
    await clearNotifications(page);
    await selectThree();
  });

  it('asks before deleting, naming the count and the keys, then reports in a toast with "Show Report"', async () => {
    const { page } = wb;
    await (await menu('Delete Selected...')).hover();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await seen(dialog, 'dialog');
    const text = await dialog.innerText();
    assert.match(text, /Delete 3 object\(s\) from s3:\/\/ui-bulk: logs\/2026\/11\/01\.json\.gz, logs\/2026\/11\/02\.json\.gz, logs\/2026\/11\/03\.json\.gz\?/);
    assert.match(text, /delete marker/);
    await wb.screenshot('s3bulk-confirm.png');
    await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).click();
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: /Deleted 3 of 3 objects/ });
    await seen(toast, 'toast');
    assert.deepEqual(keysIn(bucket, 'logs/'), [], 'the aws CLI sees them gone');
    await wb.screenshot('s3bulk-toast.png');
    await toast.locator('.monaco-button', { hasText: 'Show Report' }).click();
    const editor = page.locator('.editor-instance .view-lines');
    await seen(editor.filter({ hasText: '3 of 3 done, 0 failed' }).first(), 'report');
    await wb.screenshot('s3bulk-report.png');
  });

  it('finds objects by glob from the bucket row, in a quick pick', async () => {
    const { page, row } = wb;
    await row(bucket).hover();
    await row(bucket).locator('.action-label[aria-label="Find Objects..."]').click();
    const box = page.locator('.quick-input-widget input');
    await seen(box, 'find-input', 15_000);
    await box.fill('*.md');
    await page.keyboard.press('Enter');
    const items = page.locator('.quick-input-widget .monaco-list-row');
    await seen(page.locator('.quick-input-widget .quick-input-title', { hasText: /2 match\(es\) for "\*\.md"/ }), 'find-pick');
    assert.equal(await items.count(), 2);
    await wb.screenshot('s3bulk-find.png');
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'README.md' }).first().waitFor({ timeout: 30_000 });
  });

  it('downloads a folder into a local folder picked in the dialog, keeping the paths below it', async () => {
    const { page, row } = wb;
    const into = path.join(wb.scratch, 'downloaded');
    mkdirSync(into);
    await page.keyboard.press('Escape');
    await clearNotifications(page);
    await dismissHover(page);
    await row('services/').click({ button: 'right' });
    await (await menu('Download Folder...')).hover();
    await page.keyboard.press('Enter');
    // code-server's own folder dialog: a quick input that takes a path.
    const dialog = page.locator('.quick-input-widget');
    await seen(dialog.locator('.quick-input-title', { hasText: `Download s3://${bucket}/services/ into folder` }), 'download-dialog');
    const said = toast(page, /Downloaded 3 of 3 objects/);
    await typeDialogPath(page, `${into}/`);
    await wb.screenshot('s3bulk-download-folder-dialog.png');
    await pickDialogFolder(page, into, said).catch(async (e: unknown) => { await wb.screenshot('s3bulk-failure-download-toast.png'); throw e; });
    const files = (readdirSync(into, { recursive: true }) as string[]).filter((f) => f.includes('.')).sort();
    assert.deepEqual(files, ['billing/README.md', 'billing/config.json.gz.age', 'search/README.md']);
    await wb.screenshot('s3bulk-download-folder.png');
  });

  it('uploads a local folder picked in the dialog to a bucket, keeping its paths', async () => {
    const { page, row } = wb;
    const folder = path.join(wb.scratch, 'upload-me');
    mkdirSync(path.join(folder, 'sub'), { recursive: true });
    writeFileSync(path.join(folder, 'a.txt'), 'a\n');
    writeFileSync(path.join(folder, 'sub', 'b.txt'), 'b\n');
    await clearNotifications(page);
    await dismissHover(page);
    await row(bucket).click({ button: 'right' });
    await (await menu('Upload Folder...')).hover();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.quick-input-widget');
    await seen(dialog.locator('.quick-input-title', { hasText: `Upload a folder to s3://${bucket}/` }), 'upload-dialog');
    const said = toast(page, /Uploaded 2 of 2 files/);
    await pickDialogFolder(page, folder, said).catch(async (e: unknown) => { await wb.screenshot('s3bulk-failure-upload-toast.png'); throw e; });
    assert.deepEqual(keysIn(bucket, 'upload-me/'), ['upload-me/a.txt', 'upload-me/sub/b.txt'], 'the aws CLI sees the files under the folder\'s name');
    await seen(row('upload-me/'), 'upload-tree');
    await wb.screenshot('s3bulk-upload-folder.png');
  });

  it('deletes a folder with all its versions only after its name is typed', async () => {
    const { page, row } = wb;
    await page.keyboard.press('Escape');
    await clearNotifications(page);
    assert.equal(versionsIn(bucket, 'archive/'), 3);
    await dismissHover(page);
    await row('archive/').click({ button: 'right' });
    await (await menu('Delete Folder With All Versions...')).hover();
    await page.keyboard.press('Enter');
    const title = page.locator('.quick-input-widget .quick-input-title', { hasText: `Delete s3://${bucket}/archive/ with ALL its versions` });
    await seen(title, 'prefix-input');
    assert.match((await page.locator('.quick-input-widget').innerText()), /permanently deletes 3 version\(s\) and delete marker\(s\) of 3 key\(s\).*Type the folder \(archive\/\) to confirm/s);
    await page.keyboard.type('archive/');
    await wb.screenshot('s3bulk-delete-prefix.png');
    await page.keyboard.press('Enter');
    await seen(toast(page, /Deleted 3 of 3 versions and delete markers/), 'prefix-toast');
    assert.equal(versionsIn(bucket, 'archive/'), 0, 'the aws CLI sees no version left under archive/');
    await row('archive/').waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('deletes one object after a question that names it, says what it did, and the versioned bucket keeps a delete marker', async () => {
    const { page, row } = wb;
    await page.keyboard.press('Escape');
    await clearNotifications(page);
    await dismissHover(page);
    await row('upload-me/').click();
    await seen(row('a.txt'), 'one-row');
    await dismissHover(page);
    await row('a.txt').click({ button: 'right' });
    await (await menu('Delete')).hover();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await seen(dialog, 'one-dialog');
    assert.match(await dialog.innerText(), /Delete s3:\/\/ui-bulk\/upload-me\/a\.txt\? In this versioned bucket a delete marker hides it/);
    await wb.screenshot('s3bulk-delete-one-confirm.png');
    await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).click();
    await seen(toast(page, /Deleted s3:\/\/ui-bulk\/upload-me\/a\.txt: a delete marker hides it and its versions are kept/), 'one-toast');
    const out = JSON.parse(execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint!, '--output', 'json', 's3api', 'list-object-versions', '--bucket', bucket, '--prefix', 'upload-me/a.txt'], { env: awsEnv }).toString()) as { Versions?: unknown[]; DeleteMarkers?: { IsLatest: boolean }[] };
    assert.equal(out.Versions?.length, 1, 'the version is kept');
    assert.deepEqual(out.DeleteMarkers?.map((m) => m.IsLatest), [true], 'a delete marker is the latest');
    assert.deepEqual(keysIn(bucket, 'upload-me/'), ['upload-me/sub/b.txt'], 'the aws CLI lists it no more');
    await row('a.txt').waitFor({ state: 'detached', timeout: 30_000 });
    await wb.screenshot('s3bulk-delete-one.png');
  });
});
