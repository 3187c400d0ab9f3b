// The rows grid as a keyboard user drives it, in the packaged extension in code-server: move
// with the arrows, edit in the cell (Enter commits, Escape cancels), set NULL and '', copy a range
// as TSV, save with Ctrl+S, and read the saved file back with the sqlite3 CLI. Keeps screenshots.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { NO_VSIX, openWorkbench, showStorage, toast, type Workbench } from '../support/workbench';

const ROWS = 500; // more than two pages (the page size is 200)

function makeDb(file: string): void {
  const sql = `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER, price REAL, note TEXT, data BLOB);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
INSERT INTO items SELECT i, 'item ' || i, i * 10, i + 0.5, CASE WHEN i % 3 = 0 THEN NULL ELSE 'note ' || i END, x'cafe' FROM n;`;
  execFileSync('/usr/bin/sqlite3', [file, sql]);
}

// The test compiles without the DOM library: browser-side code is typed by hand or goes in as text.
const align = (l: Locator) => l.evaluate((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { textAlign: string } }).getComputedStyle(e).textAlign);
const sqlite = (file: string, query: string) => execFileSync('/usr/bin/sqlite3', [file, query], { encoding: 'utf8' }).trim();

describe('the rows grid in code-server, by keyboard', { skip: NO_VSIX }, () => {
  let wb: Workbench;
  let page: Page;
  let grid: FrameLocator;
  let frame: Frame;
  let db = '';
  const cell = (row: number, col: number) => grid.locator(`tbody tr[aria-rowindex="${row}"] td[data-col="${col}"]`);
  const where = () => grid.locator('#where').textContent();
  const pending = () => grid.locator('#pending').textContent();
  const tab = () => page.locator('.tabs-container .tab.active .label-name').first().textContent();

  before(async () => {
    wb = await openWorkbench('grid', {
      prepare: (_scratch, workspace) => {
        db = path.join(workspace, 'grid.db');
        makeDb(db);
      },
    });
    page = wb.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
  });

  after(async () => wb?.close());

  it('opens a table in the grid with numbers right-aligned', async () => {
    await showStorage(page, ['Local', 'S3', 'Backups']);
    await wb.row('grid.db').waitFor({ timeout: 60_000 });
    await wb.row('grid.db').click();
    await wb.row('Tables').waitFor({ timeout: 60_000 });
    // The database row's hover tooltip can lie over the row below it: move away and close it first.
    await page.mouse.move(1, 1);
    await page.keyboard.press('Escape');
    await page.locator('.context-view .monaco-hover').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    // If a tooltip still covers it, the tree's own keys expand the focused row's next sibling.
    await wb.row('Tables').click({ timeout: 10_000 }).catch(async () => {
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
    });
    await wb.row('items').waitFor({ timeout: 30_000 });
    await wb.row('items').hover();
    await wb.row('items').locator('.action-label[aria-label="Show Rows"]').click();
    grid = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await cell(1, 1).waitFor({ timeout: 60_000 });
    await grid.locator('td.cursor').waitFor({ timeout: 10_000 });
    frame = page.frames().find((f) => f.url().includes('fake.html'))!;
    assert.ok(frame, 'the webview frame is there');
    assert.match((await grid.locator('#status').textContent()) ?? '', new RegExp(`${ROWS} rows`));
    assert.equal(await align(cell(1, 2)), 'right', 'qty (INTEGER) is right-aligned');
    assert.equal(await align(cell(1, 1)), 'left', 'name (TEXT) is left-aligned');
    assert.match((await pending()) ?? '', /No unsaved changes/);
    const width = await cell(1, 2).evaluate((e) => (e as unknown as { offsetWidth: number }).offsetWidth);
    assert.equal(width, 110, 'columns keep their set width (the CSP drops style attributes; the CSSOM is used)');
  });

  it('keeps the header and filter rows opaque over scrolled rows', async () => {
    await grid.locator('.viewport').hover();
    await page.mouse.wheel(0, 2400);
    await grid.locator('tbody tr[aria-rowindex="120"]').waitFor({ timeout: 10_000 });
    const bg = await grid.locator('thead tr.filters th').nth(1).evaluate((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor);
    const alpha = /rgba\([^)]*,\s*([\d.]+)\)/.exec(bg)?.[1];
    assert.ok(alpha === undefined || Number(alpha) === 1, `the filter row's background ${bg} is opaque`);
    await wb.screenshot('grid-scrolled.png');
    await page.mouse.wheel(0, -100_000);
    await cell(1, 1).waitFor({ timeout: 10_000 });
  });

  it('moves the focused cell with the arrows, Home, End and PageDown', async () => {
    await cell(1, 1).click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    assert.match((await where()) ?? '', /^Row 2, qty/);
    await page.keyboard.press('End');
    assert.match((await where()) ?? '', /^Row 2, data/);
    await page.keyboard.press('Home');
    assert.match((await where()) ?? '', /^Row 2, id/);
    await page.keyboard.press('PageDown');
    const down = Number(/^Row (\d+)/.exec((await where()) ?? '')?.[1]);
    assert.ok(down > 10, `PageDown moved a screenful (to row ${down})`);
    await page.keyboard.press('Control+End');
    assert.match((await where()) ?? '', new RegExp(`^Row ${ROWS}, data`));
    await cell(ROWS, 5).waitFor({ timeout: 10_000 }); // the last page was pulled and drawn
    await page.keyboard.press('Control+Home');
    assert.match((await where()) ?? '', /^Row 1, id/);
    await cell(1, 0).waitFor();
    await wb.screenshot('grid-navigate.png');
  });

  it('edits a cell in place: Enter opens and commits, the tab shows the change', async () => {
    await page.keyboard.press('ArrowRight'); // row 1, name
    await page.keyboard.press('Enter');
    const editor = grid.locator('td.editing input.cell-editor');
    await editor.waitFor();
    assert.equal(await editor.inputValue(), 'item 1');
    await page.keyboard.type('renamed by keyboard');
    await wb.screenshot('grid-editing.png');
    await page.keyboard.press('Enter');
    await grid.locator('#pending', { hasText: '1 unsaved change' }).waitFor({ timeout: 30_000 });
    assert.equal(await cell(1, 1).textContent(), 'renamed by keyboard');
    assert.match((await tab()) ?? '', /^● items/);
    // Typing on a focused cell starts an edit with that text; Tab commits and moves on.
    await page.keyboard.press('ArrowRight'); // qty
    await page.keyboard.type('42');
    await page.keyboard.press('Tab');
    assert.match((await where()) ?? '', /^Row 1, price/);
    await grid.locator('#pending', { hasText: '1 unsaved change' }).waitFor({ timeout: 30_000 });
    await cell(1, 2).filter({ hasText: /^42$/ }).waitFor({ timeout: 30_000 });
  });

  it('cancels an edit with Escape', async () => {
    await page.keyboard.press('ArrowDown'); // row 2, price
    await page.keyboard.press('F2');
    await grid.locator('td.editing input.cell-editor').waitFor();
    await page.keyboard.type('999');
    await page.keyboard.press('Escape');
    await grid.locator('td.editing').waitFor({ state: 'detached' });
    assert.equal(await cell(2, 3).textContent(), '2.5');
    assert.match((await grid.locator('#notice').textContent()) ?? '', /cancelled/);
  });

  it('keeps NULL and empty text apart, and refuses to edit a BLOB as text', async () => {
    // Row 2's note becomes '' (edit, clear, Enter); row 3's note is NULL and stays NULL when Enter changes nothing.
    await page.keyboard.press('ArrowRight'); // row 2, note
    await page.keyboard.press('Enter');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    await cell(2, 4).locator('.empty').waitFor({ state: 'attached', timeout: 30_000 });
    await page.keyboard.press('ArrowDown'); // row 3, note: NULL
    await page.keyboard.press('Enter');
    assert.equal(await grid.locator('td.editing input.cell-editor').getAttribute('placeholder'), 'NULL');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown'); // row 4, note
    await page.keyboard.press('Shift+Delete');
    await cell(4, 4).locator('.null').waitFor({ timeout: 30_000 });
    assert.match((await pending()) ?? '', /3 unsaved changes/);
    await page.keyboard.press('ArrowRight'); // row 4, data (BLOB)
    await page.keyboard.press('Enter');
    assert.match((await grid.locator('#notice').textContent()) ?? '', /BLOB/);
    assert.equal(await grid.locator('td.editing').count(), 0);
  });

  it('copies a range with Shift+arrows and Ctrl+C as tab-separated text', async () => {
    await cell(1, 1).click();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    assert.match((await where()) ?? '', /2 × 2 selected/);
    // The text the grid put on the clipboard, as the copy event carried it.
    await frame.evaluate("document.addEventListener('copy', (e) => { window.copied = e.clipboardData.getData('text/plain'); })");
    await page.keyboard.press('Control+C');
    await grid.locator('#notice', { hasText: 'Copied 2 × 2' }).waitFor({ timeout: 10_000 });
    const copied = await frame.evaluate<string>('window.copied');
    assert.equal(copied, 'renamed by keyboard\t42\nitem 2\t20');
    const clip = await page.evaluate<string>('navigator.clipboard.readText()').catch(() => undefined);
    if (clip !== undefined) assert.equal(clip, copied, 'the system clipboard holds the same text');
    await wb.screenshot('grid-range.png');
  });

  it('saves with Ctrl+S, and the sqlite3 CLI reads the edits from the file', async () => {
    assert.match((await pending()) ?? '', /unsaved change/);
    await page.keyboard.press('Control+S');
    await grid.locator('#pending', { hasText: 'No unsaved changes' }).waitFor({ timeout: 30_000 });
    assert.doesNotMatch((await tab()) ?? '', /●/);
    // The save ends with a message naming the file (a frame before it has faded in shows it half drawn).
    await toast(page, /Saved grid\.db/).waitFor({ timeout: 30_000 });
    await wb.screenshot('grid-saved.png');
    assert.equal(sqlite(db, 'SELECT name FROM items WHERE id = 1'), 'renamed by keyboard');
    assert.equal(sqlite(db, 'SELECT typeof(qty) || \' \' || qty FROM items WHERE id = 1'), 'integer 42');
    assert.equal(sqlite(db, 'SELECT price FROM items WHERE id = 2'), '2.5', 'the cancelled edit is not in the file');
    assert.equal(sqlite(db, 'SELECT quote(note) FROM items WHERE id IN (2, 3, 4) ORDER BY id'), "''\nNULL\nNULL");
    assert.equal(sqlite(db, 'SELECT count(*) FROM items'), String(ROWS));
  });

  it('inserts and deletes rows from the toolbar, and Discard brings the file\'s rows back', async () => {
    await grid.locator('button#insert').click();
    await grid.locator('#pending', { hasText: '1 inserted' }).waitFor({ timeout: 30_000 });
    assert.match((await grid.locator('#status').textContent()) ?? '', new RegExp(`${ROWS + 1} rows`));
    assert.match((await where()) ?? '', new RegExp(`^Row ${ROWS + 1}, id`), 'the new row has the focus');
    await cell(ROWS + 1, 0).filter({ hasText: String(ROWS + 1) }).waitFor({ timeout: 10_000 });
    await cell(ROWS + 1, 1).click();
    await page.keyboard.press('Control+Home');
    await grid.locator('tbody td.rownum', { hasText: /^1$/ }).click();
    await grid.locator('tbody td.rownum', { hasText: /^2$/ }).click({ modifiers: ['Shift'] });
    assert.match((await where()) ?? '', /2 × 6 selected/);
    await grid.locator('button#delete').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    assert.match((await dialog.textContent()) ?? '', /Delete 2 rows from items in grid\.db/);
    await dialog.locator('a.monaco-button', { hasText: /^Delete$/ }).click();
    await grid.locator('#pending', { hasText: '2 deleted' }).waitFor({ timeout: 30_000 });
    await wb.screenshot('grid-toolbar.png');
    await grid.locator('button#discard').click();
    await dialog.waitFor({ timeout: 10_000 });
    await dialog.locator('a.monaco-button', { hasText: /^Discard$/ }).click();
    await grid.locator('#pending', { hasText: 'No unsaved changes' }).waitFor({ timeout: 30_000 });
    await grid.locator('#status', { hasText: `${ROWS} rows` }).waitFor({ timeout: 30_000 });
    // The saved edit stays; only the unsaved changes went.
    await cell(1, 1).filter({ hasText: /^renamed by keyboard$/ }).waitFor({ timeout: 10_000 });
    assert.equal(sqlite(db, 'SELECT count(*) FROM items'), String(ROWS));
  });
});
