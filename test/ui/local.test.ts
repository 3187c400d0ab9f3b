// The Local view as a user sees it: the packaged extension in code-server with the demo root,
// the tree expanded with its badges, and an age+gzip file opened decoded in a tab. Keeps screenshots.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench, ROOT, type Workbench } from '../support/workbench';

describe('the Local view in code-server', () => {
  let wb: Workbench;
  let page: Page;
  const row = (name: string) => wb.row(name);

  before(async () => {
    let demo = '';
    wb = await openWorkbench('local', {
      prepare: (scratch) => {
        demo = path.join(scratch, 'demo-root');
        execFileSync('bash', [path.join(ROOT, 'scripts', 'demo-local.sh'), demo], { stdio: 'ignore' });
        return { 'storageInspector.local.roots': [demo] };
      },
      get env() { return { STORAGE_INSPECTOR_IMPORT_IDENTITY: path.join(demo, 'demo-identity.txt') }; },
    });
    page = wb.page;
  });

  after(async () => wb?.close());

  it('shows the demo root, folders first, with sizes and a badge on the age file', async () => {
    await page.locator('.activitybar [aria-label^="Storage"]').first().click();
    await row('demo-root').click();
    await row('config').click();
    await row('app.json.gz.age').waitFor({ timeout: 30_000 });
    const labels = (await page.locator('.pane-body .monaco-list-row .label-name').allTextContents()).map((t) => t.trim());
    assert.ok(labels.indexOf('config') < labels.indexOf('README.md'), `folders first: ${labels.join(', ')}`);
    await page.locator('.monaco-list-row .label-description', { hasText: / · / }).first().waitFor({ timeout: 10_000 });
    // Badges arrive from the decoration provider after the rows.
    await page.locator('.monaco-list-row .monaco-icon-label[class*="monaco-decoration-itemColor"]').first().waitFor({ timeout: 10_000 });
    await wb.screenshot('local-tree.png');
  });

  it('opens config/app.json.gz.age decoded, as JSON', async () => {
    await row('app.json.gz.age').click();
    const editor = page.locator('.editor-instance .view-lines');
    await editor.filter({ hasText: 'storage-inspector-demo' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.statusbar-item', { hasText: /^JSON$/ }).first().waitFor({ timeout: 10_000 });
    await wb.screenshot('local-decoded-tab.png');
  });
});
