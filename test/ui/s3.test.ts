// The S3 view as a user sees it in the packaged extension: a versioned bucket made with the aws CLI,
// an object's versions and delete marker in the tree, a diff of two versions, decoded, a delete
// marker's menu (no "Open as Database" there, nor on a .txt version), and Undelete, which asks first and says what it did.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { clearNotifications, dismissHover, menuItem, menuTitles, openWorkbench, ROOT, showStorage, toast, type Workbench } from '../support/workbench';

const endpoint = process.env.SI_S3_ENDPOINT;

describe('the S3 view in code-server', () => {
  let wb: Workbench;

  before(async () => {
    assert.ok(endpoint, 'SI_S3_ENDPOINT is not set: run the suites under scripts/moto.sh');
    let identity = '';
    wb = await openWorkbench('s3', {
      prepare: (scratch) => {
        identity = path.join(scratch, 'key.txt');
        execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
        const recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity], { encoding: 'utf8' }).trim();
        const data = path.join(scratch, 's3');
        execFileSync('bash', [path.join(ROOT, 'scripts/demo-s3.sh'), data, recipient], {
          stdio: 'ignore', env: { ...process.env, DEMO_S3_BUCKET: 'ui-versions' },
        });
        return { 'storageInspector.s3.connections': JSON.parse(readFileSync(path.join(data, 'demo-s3-connection.json'), 'utf8')) };
      },
      get env() { return { STORAGE_INSPECTOR_IMPORT_IDENTITY: identity }; },
    });
  });

  after(async () => wb?.close());

  it('shows every version of an encrypted config, newest first', async () => {
    const { page, row } = wb;
    await showStorage(page, ['Local', 'SQL', 'Backups']);
    for (const label of ['Demo (local S3)', 'ui-versions', 'services/', 'billing/']) {
      await row(label).waitFor({ timeout: 60_000 }).catch(async (e: unknown) => { await wb.screenshot('s3-failure.png'); throw e; });
      await row(label).click();
    }
    await row('config.json.gz.age').waitFor({ timeout: 30_000 });
    // The row's own click opens the object; its twistie shows the versions.
    await row('config.json.gz.age').locator('.monaco-tl-twistie').click();
    // Version rows are labelled by their time ("3 minutes ago").
    const versions = page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /^(just now|\d+ \w+ ago|yesterday)$/ }) });
    await page.locator('.sidebar .label-description', { hasText: /^latest/ }).first().waitFor({ timeout: 30_000 });
    assert.equal(await versions.count(), 4, 'four versions of config.json.gz.age');
    await wb.screenshot('s3-versions.png');
  });

  it('compares an older version with the latest as decoded JSON', async () => {
    const { page } = wb;
    const oldest = page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /^(just now|\d+ \w+ ago|yesterday)$/ }) })
      .filter({ hasNot: page.locator('.label-description', { hasText: /^latest/ }) }).last();
    await oldest.click({ button: 'right' });
    // The workbench's context menu acts on key presses more reliably than on synthetic clicks.
    await page.locator('.context-view .action-label', { hasText: /^Compare with Latest$/ }).first().hover();
    await page.keyboard.press('Enter');
    const diff = page.locator('.monaco-diff-editor');
    await diff.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => { await wb.screenshot('s3-failure.png'); throw e; });
    await diff.locator('.view-lines', { hasText: '"replicas": 1' }).first().waitFor({ timeout: 30_000 });
    await diff.locator('.view-lines', { hasText: '"replicas": 4' }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('s3-version-diff.png');
  });

  it('finds a deleted object with "Show Deleted Objects" and shows its delete marker', async () => {
    const { page, row } = wb;
    await page.keyboard.press('Escape');
    await page.locator('.pane-header .action-label[aria-label="Show Deleted Objects"]').first().click();
    await row('search/').click();
    await row('rotation.txt').waitFor({ timeout: 30_000 });
    await row('rotation.txt').locator('.monaco-tl-twistie').click();
    await page.locator('.sidebar .label-description', { hasText: /^latest · delete marker · / }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('s3-deleted-object.png');
  });

  it('neither a delete marker\'s menu nor a .txt version\'s has "Open as Database"', async () => {
    const { page } = wb;
    const marker = page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-description', { hasText: /^latest · delete marker · / }) }).first();
    const older = page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-description', { hasText: /^28 B · / }) }).first();
    await older.click({ button: 'right' });
    const olderMenu = await menuTitles(page);
    assert.ok(olderMenu.includes('Compare with Latest'), `the version's menu is up: ${olderMenu.join(', ')}`);
    assert.ok(!olderMenu.includes('Open as Database'), `a .txt is no database: ${olderMenu.join(', ')}`);
    await page.keyboard.press('Escape');
    await dismissHover(page);
    await marker.click({ button: 'right' });
    const markerMenu = await menuTitles(page);
    assert.ok(markerMenu.includes('Undelete'), `the delete marker's menu is up: ${markerMenu.join(', ')}`);
    assert.ok(!markerMenu.includes('Open as Database'), `a delete marker has no bytes to open: ${markerMenu.join(', ')}`);
    await wb.screenshot('s3-delete-marker-menu.png');
  });

  it('Undelete asks, naming the delete marker, then says what it did', async () => {
    const { page, row } = wb;
    await menuItem(page, 'Undelete').hover();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => { await wb.screenshot('s3-failure.png'); throw e; });
    assert.match(await dialog.innerText(), /Undelete s3:\/\/ui-versions\/services\/search\/rotation\.txt\? This removes its delete marker/);
    await wb.screenshot('s3-undelete-confirm.png');
    await dialog.locator('.monaco-button', { hasText: /^Undelete$/ }).click();
    const said = toast(page, /Undeleted s3:\/\/ui-versions\/services\/search\/rotation\.txt: removed its delete marker/);
    await said.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => { await wb.screenshot('s3-failure.png'); throw e; });
    assert.deepEqual((await said.locator('.monaco-button').allTextContents()).map((t) => t.trim()).filter((t) => t !== ''), ['Open', 'Reveal']);
    await row('rotation.txt').locator('.label-description').filter({ hasNotText: /deleted/ }).waitFor({ timeout: 30_000 });
    await wb.screenshot('s3-undeleted.png');
    await clearNotifications(page);
  });
});
