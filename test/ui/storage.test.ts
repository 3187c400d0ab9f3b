// Looks at the packaged extension as a user would: installs the .vsix into code-server,
// opens the Storage container in Chromium, and keeps a screenshot for people to look at.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { installExtension, launchChromium, startCodeServer, writeUserSettings, type CodeServer } from '../support/codeServer';

const root = path.resolve(__dirname, '../..');
const vsix = path.join(root, 'dist-vsix', 'storage-inspector.vsix');
export const SCREENSHOTS = path.join(root, '.test-results', 'ui');

describe('the packaged extension in code-server', { skip: !existsSync(vsix) && 'no .vsix: run `npm run package` first' }, () => {
  let scratch: string;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'si-ui-'));
    const opts = { userDataDir: path.join(scratch, 'user'), extensionsDir: path.join(scratch, 'ext') };
    writeUserSettings(opts.userDataDir);
    installExtension(vsix, opts);
    const workspace = path.join(scratch, 'workspace');
    mkdirSync(workspace);
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

  it('shows the Storage container with its three views and their welcome buttons', async () => {
    await page.locator('.activitybar [aria-label^="Storage"]').first().click();
    for (const title of ['Local', 'S3', 'SQL']) {
      await page.locator('.pane-header h3.title', { hasText: new RegExp(`^${title}$`) }).first().waitFor({ timeout: 30_000 });
    }
    for (const button of ['Add Local Root...', 'Add S3 Connection...', 'Open SQLite Database...']) {
      await page.getByRole('button', { name: button }).first().waitFor({ timeout: 30_000 });
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'storage-container.png') });
    const titles = await page.locator('.sidebar .pane-header h3.title').allTextContents();
    assert.deepEqual(titles.map((t) => t.trim()), ['Local', 'S3', 'SQL']);
  });
});
