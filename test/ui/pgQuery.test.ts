// PostgreSQL in code-server, as a user walks it: a table's rows in the grid (keyset pages on the
// primary key), a query run with Ctrl+Enter and continued with "Fetch more", an error marked in
// the editor, and an Explain Analyze plan. Keeps screenshots for people to look at.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { pg, pgSkip } from '../support/pgServer';
import { NO_VSIX, openWorkbench, showStorage, type Workbench } from '../support/workbench';

/** The webview frame (of several: grid, results, plan) that shows `selector`. */
async function frameWith(page: Page, selector: string, timeout = 60_000): Promise<Frame> {
  const end = Date.now() + timeout;
  for (;;) {
    for (const f of page.frames()) if (await f.locator(selector).count().catch(() => 0)) return f;
    if (Date.now() > end) throw new Error(`no webview shows ${selector}`);
    await page.waitForTimeout(200);
  }
}

describe('PostgreSQL grid, queries and plans in code-server', { skip: NO_VSIX || pgSkip }, () => {
  let wb: Workbench;
  let page: Page;

  before(async () => {
    wb = await openWorkbench('pgquery', {
      // The password comes from PGPASSWORD, as libpq takes it: nothing secret in the settings.
      env: { PGPASSWORD: pg.password },
      settings: { 'storageInspector.pg.connections': [{ id: 'ui', name: 'ui fixtures', host: pg.host, port: pg.port, database: pg.db, user: pg.user, sslmode: 'verify-full', sslrootcert: pg.ca }] },
    });
    page = wb.page;
  });

  after(async () => wb?.close());

  /**
   * Replaces the query editor's text with `sql` as a user types it, and checks the editor holds
   * exactly that before it runs (a suggestion taken while typing would change the query).
   */
  const typeQuery = async (sql: string) => {
    const editor = page.locator('.editor-instance .view-lines').first();
    for (let attempt = 1; ; attempt++) {
      await editor.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type(sql);
      await page.keyboard.press('Escape'); // the suggestion widget
      const held = ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ');
      if (held === sql) return;
      if (attempt === 3) {
        await wb.screenshot('pg-query-failure-typing.png');
        throw new Error(`the query editor holds ${JSON.stringify(held)}, not the query typed`);
      }
    }
  };

  const expand = async (label: string) => {
    await wb.row(label).waitFor({ timeout: 60_000 });
    await wb.row(label).click();
    await page.mouse.move(1, 1);
    await page.keyboard.press('Escape');
  };

  it('shows pgbench_accounts in the grid, paged by its primary key', async () => {
    await showStorage(page, ['Local', 'S3', 'Backups']);
    for (const label of ['ui fixtures', 'si_fixtures', 'public', 'Tables']) await expand(label);
    await wb.row('pgbench_accounts').waitFor({ timeout: 30_000 });
    await wb.row('pgbench_accounts').hover();
    await wb.row('pgbench_accounts').locator('.action-label[aria-label="Show Rows"]').click();
    const grid = await frameWith(page, 'tbody tr[aria-rowindex="1"] td[data-col="0"]');
    // rows are drawn before their page arrives (empty cells), so wait for the first row's values
    await grid.locator('tbody tr[aria-rowindex="1"] td[data-col="0"]', { hasText: /\S/ }).waitFor({ timeout: 60_000 });
    const status = (await grid.locator('#status').textContent()) ?? '';
    assert.match(status, /paged by primary key/);
    assert.equal(await grid.locator('tbody tr[aria-rowindex="1"] td[data-col="0"]').textContent(), '1');
    await wb.screenshot('pg-grid.png');
  });

  it('runs a query with Ctrl+Enter and fetches more rows', async () => {
    await wb.row('si_fixtures').hover();
    await wb.row('si_fixtures').locator('.action-label[aria-label="New Query"]').click();
    const editor = page.locator('.editor-instance .view-lines').first();
    await editor.waitFor({ timeout: 30_000 });
    assert.match((await page.locator('.tabs-container .tab.active .label-name').first().textContent()) ?? '', /si_fixtures @ ui fixtures\.sql/);
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('SELECT aid, bid, abalance, length(filler) AS filler_length FROM pgbench_accounts ORDER BY aid');
    await page.keyboard.press('Escape'); // the suggestion widget
    await page.keyboard.press('Control+Enter');
    const results = await frameWith(page, '#fetchmore');
    assert.match((await results.locator('.results .status').first().textContent()) ?? '', /^500\+ rows/);
    await results.locator('#fetchmore').click();
    await results.locator('#summary', { hasText: /^1,000\+ rows/ }).waitFor({ timeout: 30_000 });
    assert.equal(await results.locator('.results tbody tr').count(), 1000);
    await wb.screenshot('pg-query-results.png');
  });

  it('marks an error at its position and shows the server\'s HINT in place of the results', async () => {
    await typeQuery('SELECT bid, bbalanc FROM pgbench_branches');
    await page.keyboard.press('Control+Enter');
    const results = await frameWith(page, '.results.failed').catch(async (e: unknown) => { await wb.screenshot('pg-query-failure-error.png'); throw e; });
    assert.match((await results.locator('.results.failed').textContent()) ?? '', /column "bbalanc" does not exist.*HINT/s);
    await page.locator('.squiggly-error').first().waitFor({ timeout: 10_000 });
    await wb.screenshot('pg-query-error.png');
  });

  it('draws an Explain Analyze plan with rows, time share and buffers', async () => {
    await typeQuery('SELECT b.bid, count(*) FROM pgbench_accounts a JOIN pgbench_branches b USING (bid) WHERE a.aid < 20000 GROUP BY b.bid');
    await page.locator('.editor-actions .action-label[aria-label^="Explain Analyze"]').first().click();
    const plan = await frameWith(page, 'ul.tree .node');
    const text = (await plan.locator('ul.tree').textContent()) ?? '';
    assert.match(text, /actual/);
    assert.match(text, /buffers hit/);
    assert.ok(await plan.locator('.time.slow').count() >= 1, 'the slowest node is marked');
    await wb.screenshot('pg-plan.png');
  });
});
