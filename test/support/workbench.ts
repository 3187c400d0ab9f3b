// The packaged extension in code-server, opened in headless Chromium, for the UI tests.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
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

/** Moves the mouse off the tree and closes a hover, so a row's tooltip does not cover the row below it. */
export async function dismissHover(page: Page): Promise<void> {
  await page.mouse.move(1, 1);
  await page.keyboard.press('Escape');
  await page.locator('.context-view .monaco-hover, .workbench-hover-container').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
}

/** Runs a command by its palette title ("Storage: Compute Checksum..."), as a user types it after F1. */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const box = page.locator('.quick-input-widget input').first();
  await box.waitFor({ timeout: 30_000 });
  await box.fill(`>${title}`);
  // Enter runs the focused row: wait until it is this command, not a stale list's first row.
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** Closes every notification, so a screenshot shows only the toast the walk is about. */
export async function clearNotifications(page: Page): Promise<void> {
  await runFromPalette(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
}

/** A toast whose text matches, once it has faded in (a screenshot before that shows it half drawn). */
export function toast(page: Page, text: RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast.notification-fade-in-done', { hasText: text }).first();
}

/**
 * Waits until the progress toast that matches has gone: the workbench keeps a progress
 * notification up a moment after its work ends, over the toast that says what happened.
 */
export async function progressGone(page: Page, text: RegExp): Promise<void> {
  await page.locator('.notifications-toasts .notification-toast', { hasText: text }).first().waitFor({ state: 'detached', timeout: 30_000 });
}

/** An item of the open context menu by its exact title. */
export function menuItem(page: Page, title: string): Locator {
  const escape = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.locator('.context-view .action-item', { has: page.locator('.action-label', { hasText: new RegExp(`^${escape}$`) }) }).first();
}

/** The titles of the open context menu's items. */
export async function menuTitles(page: Page): Promise<string[]> {
  await page.locator('.context-view .action-label').first().waitFor({ timeout: 15_000 });
  return (await page.locator('.context-view .action-label').allTextContents()).map((t) => t.trim()).filter((t) => t !== '');
}

/** The webview frame (of several: grid, results, plan) that shows `selector`. */
export async function frameWith(page: Page, selector: string, timeout = 60_000): Promise<Frame> {
  const end = Date.now() + timeout;
  for (;;) {
    for (const f of page.frames()) if (await f.locator(selector).count().catch(() => 0)) return f;
    if (Date.now() > end) throw new Error(`no webview shows ${selector}`);
    await page.waitForTimeout(200);
  }
}

/** Drags the side bar's edge to make it `width` pixels wide (wider: long descriptions show in full). */
export async function setSideBarWidth(page: Page, width: number): Promise<void> {
  const bar = page.locator('.part.sidebar').first();
  const box = await bar.boundingBox();
  if (!box) throw new Error('no side bar');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width - 1, y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction((w) => {
    const el = (globalThis as unknown as { document: { querySelector(s: string): { getBoundingClientRect(): { width: number } } | null } }).document.querySelector('.part.sidebar');
    return !!el && Math.abs(el.getBoundingClientRect().width - w) < 20;
  }, width, { timeout: 10_000 });
}

/** What the box of code-server's file dialog (a quick input) holds, or undefined when none shows. */
const dialogValue = (page: Page): Promise<string | undefined> => page.evaluate(() =>
  (globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }).document.querySelector('.quick-input-widget input')?.value);

/** Polls the dialog's box until `ok` holds of its value, for at most `timeoutMs`; true if it did. */
async function dialogValueBecomes(page: Page, ok: (v: string | undefined) => boolean, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; ; await page.waitForTimeout(50)) {
    if (ok(await dialogValue(page))) return true;
    if (Date.now() > end) return false;
  }
}

/**
 * Types a path into code-server's own file dialog (a quick input). The dialog writes its starting
 * folder into the box once it has listed it; a path typed before that gets that folder put in front,
 * or is replaced by it (seen in a full run: the box never held the typed path). So the path is typed
 * again until the box keeps it, and a box that never does fails naming what it held.
 */
export async function typeDialogPath(page: Page, value: string): Promise<void> {
  const box = page.locator('.quick-input-widget input').first();
  if (!(await dialogValueBecomes(page, (v) => v?.startsWith('/') === true, 30_000))) throw new Error('the file dialog never showed its starting folder');
  for (let attempt = 1; ; attempt++) {
    await box.fill(value);
    // Kept for a moment too: the dialog's own late write comes after its listing, not at once.
    if (await dialogValueBecomes(page, (v) => v === value, 3_000)) {
      await page.waitForTimeout(300);
      if (await dialogValue(page) === value) return;
    }
    if (attempt === 5) throw new Error(`the file dialog did not keep the path typed into it: it holds ${JSON.stringify(await dialogValue(page))}, not ${JSON.stringify(value)}`);
  }
}

/**
 * Picks a folder in code-server's file dialog: its path (ending in /) typed unless the box holds it
 * already, then Enter, which opens the typed folder and accepts it once it is the dialog's current
 * folder. Before each Enter the box must still hold the path (the dialog may put its own folder
 * back); it is typed again if not. Resolves when `done` shows; else fails naming what the dialog held.
 */
export async function pickDialogFolder(page: Page, folder: string, done: Locator): Promise<void> {
  const value = folder.endsWith('/') ? folder : `${folder}/`;
  const dialog = page.locator('.quick-input-widget');
  for (let attempt = 1; attempt <= 4; attempt++) {
    if (await done.isVisible()) return;
    if (await dialog.isVisible()) {
      if (await dialogValue(page) !== value) await typeDialogPath(page, value);
      await page.keyboard.press('Enter');
    }
    if (await done.waitFor({ timeout: 10_000 }).then(() => true, () => false)) return;
  }
  throw new Error(`picking ${value} in the file dialog: no result after 4 tries; the dialog is ${await dialog.isVisible() ? `open holding ${JSON.stringify(await dialogValue(page))}` : 'closed'}`);
}
