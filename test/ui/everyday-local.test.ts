// Everyday Local use as a user sees it, in the packaged extension in code-server: the Explorer's
// context menu entries on an ordinary workspace file, the message a change ends with, the
// conflict offer when another program wrote the file first, a Local folder that stays expanded
// when a file appears in it, a palette command acting on the active editor's file (not on the
// tree's old selection), the editor tab's menu, and Verify Manifest that does not ask when the
// folder has one manifest. Keeps screenshots in .test-results/ui/.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { clearNotifications, menuTitles, NO_VSIX, openWorkbench, progressGone, runFromPalette, showStorage, toast as settledToast, type Workbench } from '../support/workbench';

describe('everyday Local use in code-server', { skip: NO_VSIX }, () => {
  let wb: Workbench;
  let page: Page;
  let notes = '';
  let root = '';
  let readme = '';

  const explorerRow = (name: string) =>
    page.locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/\./g, '\\.')}$`) }) }).first();
  const menuItem = (label: string) => page.locator('.monaco-menu .action-item', { has: page.locator('.action-label', { hasText: new RegExp(`^${label.replace(/\./g, '\\.')}$`) }) }).first();
  const toast = (text: RegExp) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();

  before(async () => {
    wb = await openWorkbench('everyday', {
      prepare: (scratch, workspace) => {
        notes = path.join(workspace, 'notes.txt.gz');
        writeFileSync(notes, gzipSync('first line\n'));
        // A whole-millisecond time, so the other writer below can put it back exactly.
        const t = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
        utimesSync(notes, t, t);
        readme = path.join(workspace, 'readme.txt');
        writeFileSync(readme, 'a plain workspace file\n');
        mkdirSync(path.join(workspace, 'photos'));
        for (const n of ['a.jpg', 'b.jpg', 'c.jpg']) writeFileSync(path.join(workspace, 'photos', n), `${n} bytes\n`);
        root = path.join(scratch, 'root');
        mkdirSync(path.join(root, 'sub'), { recursive: true });
        writeFileSync(path.join(root, 'sub', 'old.txt'), 'old\n');
        return { 'storageInspector.local.roots': [root] };
      },
    });
    page = wb.page;
  });

  after(async () => wb?.close());

  it('the Explorer context menu opens an ordinary workspace .gz decoded, with no Local root', async () => {
    // The Explorer is open at start (clicking its icon would fold it); the shortcut only focuses it.
    await page.locator('.monaco-workbench').first().click({ position: { x: 700, y: 400 } }).catch(() => undefined);
    await page.keyboard.press('Control+Shift+E');
    // Our menu entries exist once the extension's contributions are in (its container shows then).
    await page.locator('.activitybar [aria-label^="Storage"]').first().waitFor({ timeout: 60_000 });
    await explorerRow('notes.txt.gz').click({ button: 'right', timeout: 30_000 });
    await menuItem('Open Decoded').waitFor({ timeout: 10_000 });
    await wb.screenshot('everyday-explorer-menu.png');
    await menuItem('Open Decoded').click();
    await page.locator('.editor-instance .view-lines', { hasText: 'first line' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.tabs-container .tab', { hasText: 'notes.txt.gz' }).first().waitFor();
  });

  it('Write Manifest from the Explorer ends with what it wrote, and Open / Reveal', async () => {
    // A click on a menu that is still being filled (our entries come in as the extension's
    // context keys settle) can be lost on a loaded machine: the menu is opened again then.
    const sums = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'SHA256SUMS' }).first();
    for (let attempt = 1; ; attempt++) {
      await explorerRow('photos').click({ button: 'right' });
      // The menu takes Enter on the hovered item even when a click is swallowed (as seen here:
      // the item highlighted, nothing run).
      await menuItem('Write Manifest...').hover();
      await page.keyboard.press('Enter');
      try {
        await sums.waitFor({ timeout: 15_000 });
        break;
      } catch (e) {
        await wb.screenshot(`everyday-failure-manifest-${attempt}.png`);
        if (attempt >= 3) throw e;
        await page.keyboard.press('Escape');
      }
    }
    await sums.click();
    const said = settledToast(page, /Wrote SHA256SUMS in photos with 3 files\./);
    await said.waitFor({ timeout: 30_000 });
    assert.deepEqual((await said.locator('.monaco-button').allTextContents()).map((t) => t.trim()).filter((t) => t !== ''), ['Open', 'Reveal']);
    await progressGone(page, /Writing manifest for photos/);
    await wb.screenshot('everyday-feedback.png');
    await said.locator('.monaco-button', { hasText: 'Open' }).click();
    await page.locator('.tabs-container .tab', { hasText: 'SHA256SUMS' }).first().waitFor({ timeout: 10_000 });
  });

  it('a save after another program wrote the file offers Compare / Overwrite / Save As Copy... / Reload, and keeps their bytes', async () => {
    await page.locator('.tabs-container .tab', { hasText: 'notes.txt.gz' }).first().click();
    await page.locator('.editor-instance .view-lines', { hasText: 'first line' }).first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('mine\n');
    // Another program writes the file and keeps its time (as `cp -p` would): only our check can tell.
    const t = statSync(notes).mtime;
    // Same size too, so the editor's own check (size and time) passes and ours must catch it.
    const size = statSync(notes).size;
    const body = ['their line\n', 'other line\n', 'their text\n', 'later line\n'].map((x) => gzipSync(x)).find((b) => b.length === size);
    assert.ok(body, 'a rewrite of the same size');
    writeFileSync(notes, body);
    utimesSync(notes, t, t);
    const theirs = readFileSync(notes);
    await page.keyboard.press('Control+s');
    const offer = toast(/was changed by another program since you opened it/);
    await offer.waitFor({ timeout: 30_000 });
    const buttons = (await offer.locator('.monaco-button').allTextContents()).map((b) => b.trim()).filter((b) => b !== '');
    assert.deepEqual(buttons, ['Compare', 'Overwrite', 'Save As Copy...', 'Reload']);
    assert.ok(readFileSync(notes).equals(theirs), 'their bytes are on disk');
    // The editor's own "Failed to save" toast sits above ours and cuts its buttons off; a user
    // closes it to read ours, and so does the walk before the screenshot.
    const failed = toast(/Failed to save 'notes\.txt\.gz'/);
    if (await failed.count()) {
      await failed.hover();
      await failed.locator('.codicon-notifications-clear, .action-label[aria-label^="Clear"]').first().click();
      await failed.waitFor({ state: 'detached', timeout: 10_000 });
    }
    await offer.locator('.monaco-button', { hasText: 'Reload' }).waitFor();
    await wb.screenshot('everyday-conflict.png');
    await offer.locator('.monaco-button', { hasText: 'Overwrite' }).click();
    await toast(/Saved your version over theirs in notes\.txt\.gz/).waitFor({ timeout: 30_000 });
    assert.equal(gunzipSync(readFileSync(notes)).toString(), 'first line\nmine\n');
  });

  it('a Local folder stays expanded when a file appears in it', async () => {
    await showStorage(page);
    await wb.row('root').click();
    await wb.row('sub').click();
    await wb.row('old.txt').waitFor({ timeout: 30_000 });
    writeFileSync(path.join(root, 'sub', 'new.txt'), 'new\n');
    await wb.row('new.txt').waitFor({ timeout: 30_000 });
    assert.equal(await wb.row('sub').getAttribute('aria-expanded'), 'true');
    await wb.screenshot('everyday-local-expanded.png');
  });

  it('a palette command acts on the active editor\'s file, not on the Local tree\'s old selection', async () => {
    // The Local view is visible with the folder "sub" selected (the walk above); the user opens a
    // workspace file with Quick Open and runs Compute Checksum from the palette.
    assert.equal(await page.locator('.sidebar .monaco-list-row.selected', { has: page.locator('.label-name', { hasText: /^sub$/ }) }).count(), 1, 'sub is selected');
    await clearNotifications(page);
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').first().fill('readme.txt');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'readme.txt' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await page.locator('.editor-instance .view-lines', { hasText: 'a plain workspace file' }).first().waitFor({ timeout: 30_000 });
    await runFromPalette(page, 'Storage: Compute Checksum...');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Checksum algorithm' }).waitFor({ timeout: 30_000 });
    await page.locator('.quick-input-widget input').first().fill('sha256');
    await page.locator('.quick-input-list .monaco-list-row.focused', { has: page.locator('.label-name', { hasText: /^sha256$/ }) }).waitFor({ timeout: 10_000 })
      .catch(async (e: unknown) => { await wb.screenshot('everyday-failure-palette-pick.png'); throw e; });
    await page.keyboard.press('Enter');
    const hex = createHash('sha256').update(readFileSync(readme)).digest('hex');
    await settledToast(page, new RegExp(`sha256 of readme\\.txt: ${hex} \\(copied\\)`)).waitFor({ timeout: 30_000 })
      .catch(async (e: unknown) => { await wb.screenshot('everyday-failure-palette.png'); throw e; });
    await progressGone(page, /Computing sha256 of readme\.txt/);
    await wb.screenshot('everyday-palette-active-file.png');
  });

  it('the editor tab\'s context menu offers the Storage commands for a workspace file', async () => {
    await page.locator('.tabs-container .tab.active', { hasText: 'readme.txt' }).click({ button: 'right' });
    try {
      const titles = await menuTitles(page);
      for (const t of ['Compute Checksum...', 'Encrypt...', 'Compress...']) assert.ok(titles.includes(t), `the tab menu has ${t}: ${titles.join(', ')}`);
      assert.ok(!titles.includes('Decompress...'), 'Decompress is only for .gz files');
      await wb.screenshot('everyday-editor-tab-menu.png');
    } finally {
      await page.keyboard.press('Escape');
    }
  });

  it('Verify Manifest on a folder with only SHA256SUMS verifies it without asking, and offers Show Problems', async () => {
    await clearNotifications(page);
    writeFileSync(path.join(path.dirname(notes), 'photos', 'b.jpg'), 'b.jpg edited\n');
    await page.keyboard.press('Control+Shift+E');
    const said = settledToast(page, /photos\/SHA256SUMS: 2 OK, 1 changed, 0 missing, 0 new\. The 1 finding is in the Problems panel\./);
    for (let attempt = 1; ; attempt++) {
      await explorerRow('photos').click({ button: 'right' });
      await menuItem('Verify Manifest...').hover();
      await page.keyboard.press('Enter');
      try {
        await said.or(page.locator('.quick-input-widget .quick-input-title', { hasText: /verify which/ })).first().waitFor({ timeout: 15_000 });
        break;
      } catch (e) {
        await wb.screenshot(`everyday-failure-verify-${attempt}.png`);
        if (attempt >= 3) throw e;
        await page.keyboard.press('Escape');
      }
    }
    assert.equal(await page.locator('.quick-input-widget .quick-input-title', { hasText: /verify which/ }).isVisible(), false, 'no question with one manifest');
    await said.waitFor();
    const buttons = (await said.locator('.monaco-button').allTextContents()).map((t) => t.trim()).filter((t) => t !== '');
    assert.deepEqual(buttons, ['Show Problems']);
    await progressGone(page, /Verifying SHA256SUMS/);
    await wb.screenshot('everyday-verify-toast.png');
    await said.locator('.monaco-button', { hasText: 'Show Problems' }).click();
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'b.jpg: changed' }).first().waitFor({ timeout: 30_000 });
    await said.waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    await wb.screenshot('everyday-verify-manifest.png');
  });
});
