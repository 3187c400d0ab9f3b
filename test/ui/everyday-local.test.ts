// Everyday Local use as a user sees it, in the packaged extension in code-server: the Explorer's
// context menu entries on an ordinary workspace file, the message a change ends with, the
// conflict offer when another program wrote the file first, and a Local folder that stays
// expanded when a file appears in it. Keeps screenshots in .test-results/ui/.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { NO_VSIX, openWorkbench, showStorage, type Workbench } from '../support/workbench';

describe('everyday Local use in code-server', { skip: NO_VSIX }, () => {
  let wb: Workbench;
  let page: Page;
  let notes = '';
  let root = '';

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
    const said = toast(/Wrote SHA256SUMS in photos with 3 files\./);
    await said.waitFor({ timeout: 30_000 });
    assert.deepEqual((await said.locator('.monaco-button').allTextContents()).map((t) => t.trim()).filter((t) => t !== ''), ['Open', 'Reveal']);
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
});
