// The SQL view as a user sees it in the packaged extension: the schema tree of a workspace
// database (its index count the same in the row and the Indexes group), its rows in the grid, a
// query tab named after the database, a query plan, a failed query that clears the old results
// and shows the error in their place, and a query tab told when its database closes. Keeps
// screenshots for people to look at.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { dismissHover, frameWith, menuItem, openWorkbench, ROOT, showStorage, toast, setSideBarWidth, type Workbench } from '../support/workbench';

describe('the SQL view in code-server', () => {
  let wb: Workbench;
  let page: Page;
  const row = (label: string) => wb.row(label);
  /** A row of the tree at a depth (1: the database, 2: its groups, 3: their items). */
  const rowAt = (level: number, label: string) => page.locator(`.sidebar .monaco-list-row[aria-level="${level}"]`, { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
  const editor = () => page.locator('.editor-instance .view-lines').first();

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
    // Room for the SQL tree: fold the Local and S3 panes, and widen the side bar so the
    // database row's description (size, version, counts) reads in full.
    await showStorage(page, ['Local', 'S3', 'Backups']);
    await setSideBarWidth(page, 560);
    await row('bookshop.db').waitFor({ timeout: 60_000 });
    await row('bookshop.db').click();
    await row('Tables').waitFor({ timeout: 60_000 });
    // The database row's tooltip, shown after the click, lies over the rows below it.
    await dismissHover(page);
    await row('Tables').click();
    await row('books').waitFor({ timeout: 30_000 });
    await dismissHover(page);
    await row('books').click();
    await row('Foreign Keys').waitFor({ timeout: 30_000 });
    await dismissHover(page);
    await rowAt(4, 'Indexes').click();
    await rowAt(5, 'books_author').waitFor({ timeout: 30_000 });
    await dismissHover(page);
    await wb.screenshot('sql-tree.png');
    const db = await row('bookshop.db').locator('.label-description').textContent();
    assert.match(db ?? '', /SQLite 3\.\d+\.\d+ · \d+ tables · \d+ indexes/);
    // The view's refresh button is named after the view, as "Refresh Local" and "Refresh S3" are.
    await page.locator('.pane-header .action-label[aria-label="Refresh SQL"]').first().waitFor({ state: 'attached', timeout: 10_000 });
  });

  it('counts the indexes the same in the database row and in its Indexes group (a WITHOUT ROWID key included)', async () => {
    // Fold Tables so the database's own Indexes group lists its rows right below it.
    await rowAt(2, 'Tables').click();
    await rowAt(3, 'books').waitFor({ state: 'detached', timeout: 10_000 });
    await dismissHover(page);
    await rowAt(2, 'Indexes').click();
    await rowAt(3, 'books_author').waitFor({ timeout: 30_000 });
    await dismissHover(page);
    const listed = await page.locator('.sidebar .monaco-list-row[aria-level="3"]').count();
    const group = Number(((await rowAt(2, 'Indexes').locator('.label-description').textContent()) ?? '').trim());
    const inRow = Number(/· (\d+) indexes/.exec((await row('bookshop.db').locator('.label-description').textContent()) ?? '')?.[1]);
    assert.equal(listed, 7, 'the demo database has 7 indexes, order_lines\' WITHOUT ROWID primary key among them');
    assert.equal(group, listed, 'the Indexes group counts what it lists');
    assert.equal(inRow, listed, 'the database row says the same number');
    await rowAt(3, 'sqlite_autoindex_order_lines_1').waitFor();
    await wb.screenshot('sql-index-count.png');
    // Back as the next walk wants it: Indexes folded, Tables open.
    await rowAt(2, 'Indexes').click();
    await rowAt(2, 'Tables').click();
    await row('order_lines').waitFor({ timeout: 30_000 });
    await dismissHover(page);
  });

  it('shows a table\'s rows in the grid', async () => {
    await row('order_lines').hover();
    await row('order_lines').locator('.action-label[aria-label="Show Rows"]').click();
    const frame = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await frame.locator('#status', { hasText: /100,000 rows/ }).waitFor({ timeout: 60_000 });
    await frame.locator('table.grid tbody tr[aria-rowindex="20"] td').nth(3).waitFor({ timeout: 60_000 });
    await dismissHover(page);
    await wb.screenshot('sql-grid.png');
  });

  it('opens a query tab named after the database and explains a query plan as a tree', async () => {
    // The query editor and its results share the editor area: give the side bar's room back.
    await setSideBarWidth(page, 300);
    await row('bookshop.db').hover();
    await row('bookshop.db').locator('.action-label[aria-label="New Query"]').click();
    await editor().waitFor({ timeout: 30_000 });
    await page.locator('.tabs-container .tab.active', { hasText: 'bookshop.db.sql' }).waitFor({ timeout: 30_000 });
    assert.equal(((await page.locator('.tabs-container .tab.active .label-name').first().textContent()) ?? '').trim(), 'bookshop.db.sql');
    await page.locator('.editor-actions .action-label[aria-label^="Explain Query Plan"]').first().click();
    const plan = await frameWith(page, '.plan li');
    assert.match((await plan.locator('.plan').textContent()) ?? '', /FULL SCAN|INDEX/);
    await dismissHover(page);
    await wb.screenshot('sql-plan.png');
  });

  it('a failed query clears the old results and shows the error in their place', async () => {
    await editor().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('SELECT title, price FROM books ORDER BY price DESC LIMIT 5;');
    await page.keyboard.press('Escape'); // the suggestion widget
    await page.keyboard.press('Control+Enter');
    const results = await frameWith(page, '.results tbody tr');
    await results.locator('.results tbody tr').nth(4).waitFor({ timeout: 30_000 });
    assert.equal(await results.locator('.results tbody tr').count(), 5);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('SELECT titel FROM books;');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Enter');
    const failed = results.locator('.results.failed');
    await failed.waitFor({ timeout: 30_000 });
    assert.match((await failed.textContent()) ?? '', /no such column: titel/);
    assert.equal(await results.locator('.results tbody tr').count(), 0, 'no row of the old results is left on screen');
    await wb.screenshot('sql-query-error.png');
  });

  it('closing the database tells its query tab, which offers Reopen', async () => {
    await dismissHover(page);
    await row('bookshop.db').click({ button: 'right' });
    await menuItem(page, 'Close Database').hover();
    await page.keyboard.press('Enter');
    const said = toast(page, /bookshop\.db was closed\. Its query tab bookshop\.db\.sql cannot run until you reopen it\./);
    await said.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => { await wb.screenshot('sql-failure-close.png'); throw e; });
    assert.deepEqual((await said.locator('.monaco-button').allTextContents()).map((t) => t.trim()).filter((t) => t !== ''), ['Reopen']);
    await page.locator('.tabs-container .tab', { hasText: 'bookshop.db.sql' }).first().click();
    await page.locator('.statusbar-item', { hasText: 'bookshop.db (closed)' }).first().waitFor({ timeout: 30_000 });
    // The line starts at the left again (the editor was narrower beside the results, now closed).
    await editor().click();
    await page.keyboard.press('Home');
    await editor().filter({ hasText: 'SELECT titel FROM books;' }).waitFor({ timeout: 10_000 });
    await wb.screenshot('sql-closed-database.png');
    await said.locator('.monaco-button', { hasText: 'Reopen' }).click();
    await rowAt(2, 'Tables').waitFor({ timeout: 60_000 }).catch(async (e: unknown) => { await wb.screenshot('sql-failure-reopen.png'); throw e; });
    await page.locator('.statusbar-item', { hasText: /bookshop\.db\s*$/ }).first().waitFor({ timeout: 30_000 });
  });

  it('offers "Open as Database" on the workspace file in the Explorer', async () => {
    await page.keyboard.press('Control+Shift+E');
    const file = page.locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: /^bookshop\.db$/ }) }).first();
    await file.click({ button: 'right', timeout: 30_000 });
    await menuItem(page, 'Open as Database').waitFor({ timeout: 15_000 });
    await wb.screenshot('sql-explorer-open-as-database.png');
    await page.keyboard.press('Escape');
  });
});
