// The Local view as a user sees it: the packaged extension in code-server with the demo root,
// the tree expanded with its badges, and an age+gzip file opened decoded in a tab. Keeps screenshots.
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

/** True when the built codec bundle has the pipeline (it lands from the codec area). */
function pipelineBuilt(): boolean {
  try {
    return typeof (require(path.join(root, 'dist', 'codec.js')) as { decode?: unknown }).decode === 'function';
  } catch {
    return false;
  }
}

describe('the Local view in code-server', { skip: !existsSync(vsix) && 'no .vsix: run `npm run package` first' }, () => {
  let scratch: string;
  let demo: string;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  const row = (name: string) => page.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/\./g, '\\.')}$`) }) }).first();

  before(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'si-ui-local-'));
    demo = path.join(scratch, 'demo-root');
    execFileSync('bash', [path.join(root, 'scripts', 'demo-local.sh'), demo], { stdio: 'ignore' });
    const opts = { userDataDir: path.join(scratch, 'user'), extensionsDir: path.join(scratch, 'ext') };
    writeUserSettings(opts.userDataDir, { 'storageInspector.local.roots': [demo] });
    installExtension(vsix, opts);
    const workspace = path.join(scratch, 'workspace');
    mkdirSync(workspace);
    server = await startCodeServer({ ...opts, env: { STORAGE_INSPECTOR_IMPORT_IDENTITY: path.join(demo, 'demo-identity.txt') } });
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
    await page.screenshot({ path: path.join(SCREENSHOTS, 'local-tree.png') });
  });

  it('opens config/app.json.gz.age decoded, as JSON', { skip: !pipelineBuilt() && 'the codec pipeline is not in this build' }, async () => {
    await row('app.json.gz.age').click();
    const editor = page.locator('.editor-instance .view-lines');
    await editor.filter({ hasText: 'storage-inspector-demo' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.statusbar-item', { hasText: /^JSON$/ }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'local-decoded-tab.png') });
  });
});
