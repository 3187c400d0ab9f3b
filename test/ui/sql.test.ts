// The SQL view as a user sees it in the packaged extension: the schema tree of a workspace
// database, its rows in the grid, and a query plan. Keeps screenshots for people to look at.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench, ROOT, showStorage, type Workbench } from '../support/workbench';

describe('the SQL view in code-server', () => {
  let wb: Workbench;
  let page: Page;
  const row = (label: string) => wb.row(label);

  before(async () => {
    wb = await openWorkbench('sql', {
      prepare: (_scratch, workspace) => {
        execFileSync('bash', [path.join(ROOT, 'scripts/demo-sql.sh'), workspace], { stdio: 'ignore' });
      },
    });
    page = wb.page;
  });

  after(async () => wb?.close());

  it('discovers the workspace database and shows its schema tree', async () => {
    // Room for the SQL tree: fold the Local and S3 panes.
    await showStorage(page, ['Local', 'S3', 'Backups']);
    await row('bookshop.db').waitFor({ timeout: 60_000 });
    await row('bookshop.db').click();
    await row('Tables').waitFor({ timeout: 60_000 });
    await row('Tables').click();
    await row('books').waitFor({ timeout: 30_000 });
    await row('books').click();
    await row('Foreign Keys').waitFor({ timeout: 30_000 });
    await row('Indexes').first().click();
    await page.waitForTimeout(500);
    await wb.screenshot('sql-tree.png');
    const db = await row('bookshop.db').locator('.label-description').textContent();
    assert.match(db ?? '', /SQLite 3\.\d+\.\d+ · \d+ tables · \d+ indexes/);
  });

  it('shows a table\'s rows in the grid', async () => {
    await row('order_lines').hover();
    await row('order_lines').locator('.action-label[aria-label="Show Rows"]').click();
    const frame = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await frame.locator('table.grid tbody td').nth(3).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await wb.screenshot('sql-grid.png');
    assert.match((await frame.locator('#status').textContent()) ?? '', /100,000 rows/);
  });

  it('explains a query plan as a tree', async () => {
    await row('bookshop.db').hover();
    await row('bookshop.db').locator('.action-label[aria-label="New Query"]').click();
    await page.locator('.editor-instance .view-lines').first().waitFor({ timeout: 30_000 });
    await page.locator('.editor-actions .action-label[aria-label^="Explain Query Plan"]').first().click();
    const frames = page.frameLocator('iframe.webview >> nth=-1').frameLocator('iframe#active-frame');
    await frames.locator('.plan li').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await wb.screenshot('sql-plan.png');
    assert.match((await frames.locator('.plan').textContent()) ?? '', /FULL SCAN|INDEX/);
  });
});
