// The packaged extension in code-server, opened in headless Chromium, for the UI tests.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { installExtension, launchChromium, startCodeServer, writeUserSettings, type CodeServer } from './codeServer';

export const ROOT = path.resolve(__dirname, '../..');
export const VSIX = path.join(ROOT, 'dist-vsix', 'storage-inspector.vsix');
export const SCREENSHOTS = path.join(ROOT, '.test-results', 'ui');
export const NO_VSIX = !existsSync(VSIX) && 'no .vsix: run `npm run package` first';

export interface Workbench {
  page: Page;
  scratch: string;
  workspace: string;
  /** A tree row in the side bar by its exact label. */
  row(label: string): Locator;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /** User settings beyond the quiet defaults. */
  settings?: Record<string, unknown>;
  /** Environment of the server and so of the extension host. */
  env?: NodeJS.ProcessEnv;
  /** Fills the scratch folder before the server starts (sample data); returns extra settings. */
  prepare?: (scratch: string, workspace: string) => Record<string, unknown> | void;
}

export async function openWorkbench(name: string, options: WorkbenchOptions = {}): Promise<Workbench> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), `si-ui-${name}-`));
  const workspace = path.join(scratch, 'workspace');
  mkdirSync(workspace);
  const opts = { userDataDir: path.join(scratch, 'user'), extensionsDir: path.join(scratch, 'ext') };
  const extra = options.prepare?.(scratch, workspace) ?? {};
  writeUserSettings(opts.userDataDir, { ...options.settings, ...extra });
  installExtension(VSIX, opts);
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    server = await startCodeServer({ ...opts, env: options.env ?? {} });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench .activitybar', { timeout: 60_000 });
    mkdirSync(SCREENSHOTS, { recursive: true });
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return {
      page, scratch, workspace, close,
      row: (label) => page.locator('.sidebar .monaco-list-row', {
        has: page.locator('.label-name', { hasText: new RegExp(`^(● )?${escape(label)}$`) }),
      }).first(),
      screenshot: async (file) => { await page.screenshot({ path: path.join(SCREENSHOTS, file) }); },
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Opens the Storage container and folds the named panes to leave room for the others. */
export async function showStorage(page: Page, fold: string[] = []): Promise<void> {
  await page.locator('.activitybar [aria-label^="Storage"]').first().click();
  for (const title of fold) {
    // Folds the pane if it is open (a click on a folded pane's header would open it).
    const header = page.locator('.pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${title}$`) }) }).first();
    await header.waitFor();
    if ((await header.getAttribute('aria-expanded')) !== 'false') await header.click();
  }
}
