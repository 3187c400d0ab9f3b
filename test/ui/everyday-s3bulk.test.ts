// S3 bulk work as a user does it in the packaged extension: several objects picked with Ctrl+click,
// the context menu's bulk commands, the question that names them, the toast, the report document;
// and Find Objects from a bucket's inline search button.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { openWorkbench, ROOT, showStorage, type Workbench } from '../support/workbench';

const endpoint = process.env.SI_S3_ENDPOINT;
const awsEnv = { ...process.env, AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'testing', AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing', AWS_DEFAULT_REGION: 'us-east-1' };
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
    await item.waitFor({ timeout: 15_000 });
    return item;
  };

  it('selects three objects with Ctrl+click; the context menu offers the bulk commands', async () => {
    const { page, row } = wb;
    await showStorage(page, ['Local', 'SQL', 'Backups']);
    for (const label of ['Demo (local S3)', bucket, 'logs/', '2026/', '11/']) {
      await row(label).waitFor({ timeout: 60_000 }).catch(async (e: unknown) => { await wb.screenshot('s3bulk-failure.png'); throw e; });
      await row(label).click();
    }
    await row('01.json.gz').waitFor({ timeout: 30_000 });
    // A plain click selects (and opens) the first; Ctrl+click adds the others.
    await row('01.json.gz').click();
    await row('02.json.gz').click({ modifiers: ['Control'] });
    await row('03.json.gz').click({ modifiers: ['Control'] });
    assert.equal(await page.locator('.sidebar .monaco-list-row.selected').count(), 3, 'three rows selected');
    await row('03.json.gz').click({ button: 'right' });
    for (const t of ['Download Selected...', 'Copy Selected To...', 'Delete Selected...']) await menu(t);
    assert.equal(await page.locator('.context-view .action-label', { hasText: /^Rename\.\.\.$/ }).count(), 0, 'single-object commands step aside');
    await wb.screenshot('s3bulk-multiselect.png');
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
});
