// The SQL view as a user sees it in the packaged extension: the schema tree of a workspace
// database, its rows in the grid, and a query plan. Keeps screenshots for people to look at.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { installExtension, launchChromium, startCodeServer, writeUserSettings, type CodeServer } from '../support/codeServer';

const root = path.resolve(__dirname, '../..');
const vsix = path.join(root, 'dist-vsix', 'storage-inspector.vsix');
const SCREENSHOTS = path.join(root, '.test-results', 'ui');

describe('the SQL view in code-server', { skip: !existsSync(vsix) && 'no .vsix: run `npm run package` first' }, () => {
  let scratch: string;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  const row = (label: string) => page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^(● )?${label.replace(/[.]/g, '\\.')}$`) }) }).first();

  before(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'si-ui-sql-'));
    const opts = { userDataDir: path.join(scratch, 'user'), extensionsDir: path.join(scratch, 'ext') };
    writeUserSettings(opts.userDataDir);
    installExtension(vsix, opts);
    const workspace = path.join(scratch, 'workspace');
    mkdirSync(workspace);
    execFileSync('bash', [path.join(root, 'scripts/demo-sql.sh'), workspace], { stdio: 'ignore' });
    server = await startCodeServer(opts);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench .activitybar', { timeout: 60_000 });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('discovers the workspace database and shows its schema tree', async () => {
    await page.locator('.activitybar [aria-label^="Storage"]').first().click();
    // Room for the SQL tree: fold the Local and S3 panes.
    for (const title of ['Local', 'S3']) await page.locator('.pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${title}$`) }) }).first().click();
    await row('bookshop.db').waitFor({ timeout: 60_000 });
    await row('bookshop.db').click();
    await row('Tables').waitFor({ timeout: 60_000 });
    await row('Tables').click();
    await row('books').waitFor({ timeout: 30_000 });
    await row('books').click();
    await row('Foreign Keys').waitFor({ timeout: 30_000 });
    await row('Indexes').first().click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sql-tree.png') });
    const db = await row('bookshop.db').locator('.label-description').textContent();
    assert.match(db ?? '', /SQLite 3\.\d+\.\d+ · \d+ tables · \d+ indexes/);
  });

  it('shows a table\'s rows in the grid', async () => {
    await row('order_lines').hover();
    await row('order_lines').locator('.action-label[aria-label="Show Rows"]').click();
    const frame = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await frame.locator('table.grid tbody td').nth(3).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sql-grid.png') });
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
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sql-plan.png') });
    assert.match((await frames.locator('.plan').textContent()) ?? '', /FULL SCAN|INDEX/);
  });
});
