// PostgreSQL in the SQL view as a user sees it in the packaged extension: the demo's connection
// (scripts/demo-pg.sh: settings plus a pgpass file), the tree down to a table's indexes, and the
// statistics document. Keeps screenshots for people to look at.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { NO_VSIX, openWorkbench, ROOT, showStorage, type Workbench } from '../support/workbench';
import { pgSkip } from '../support/pgServer';

describe('PostgreSQL in the SQL view in code-server', { skip: pgSkip || NO_VSIX }, () => {
  let wb: Workbench;
  let page: Page;
  const row = (label: string) => wb.row(label);
  const env: NodeJS.ProcessEnv = {};

  before(async () => {
    wb = await openWorkbench('pg', {
      env,
      prepare: (scratch) => {
        const dir = path.join(scratch, 'pg');
        execFileSync('bash', [path.join(ROOT, 'scripts/demo-pg.sh'), dir], { stdio: 'ignore' });
        env.PGPASSFILE = path.join(dir, 'pgpass');
        return { 'storageInspector.pg.connections': JSON.parse(readFileSync(path.join(dir, 'demo-pg-connection.json'), 'utf8')) };
      },
    });
    page = wb.page;
  });

  after(async () => wb?.close());

  /**
   * Expands a row until the child shows. On a loaded machine a click can land while the tree
   * redraws (the row moves, or a hover tooltip covers it), so a row still folded is clicked again.
   */
  async function expand(label: string, child: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const r = row(label);
      await r.waitFor({ timeout: 60_000 });
      if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
      try {
        await row(child).waitFor({ timeout: 20_000 });
        return;
      } catch (e) {
        if (attempt >= 3) throw e;
        await page.mouse.move(700, 10);
      }
    }
  }

  it('shows the saved connection and expands it to a table\'s indexes', async () => {
    await showStorage(page, ['Local', 'S3']);
    // Room for the tree: fold the Backups pane too, if it is open.
    const backups = page.locator('.pane-header[aria-expanded="true"]', { has: page.locator('h3.title', { hasText: /^Backups$/ }) });
    if (await backups.count()) await backups.first().click();
    // A wider side bar, so the descriptions (methods, keys, predicates) read whole.
    const sash = await page.locator('.sidebar').boundingBox();
    if (sash) {
      await page.mouse.move(sash.x + sash.width + 1, 450);
      await page.mouse.down();
      await page.mouse.move(sash.x + 640, 450, { steps: 5 });
      await page.mouse.up();
    }
    await expand('Demo PostgreSQL', 'si_fixtures');
    await expand('si_fixtures', 'shop');
    await expand('shop', 'Tables');
    await expand('Tables', 'products');
    await expand('products', 'Indexes');
    await expand('Indexes', 'products_title_trgm');
    await page.mouse.move(700, 10);
    await page.waitForTimeout(300);
    await wb.screenshot('pg-tree.png');
    assert.match((await row('products_title_trgm').locator('.label-description').textContent()) ?? '', /^gin \(title gin_trgm_ops\)/);
    assert.match((await row('products_cheap').locator('.label-description').textContent()) ?? '', /WHERE price < 10::numeric/);
  });

  it('shows a table\'s statistics as a document', async () => {
    await row('products').click({ button: 'right' });
    await page.locator('.context-view .action-label', { hasText: /^Show Statistics$/ }).first().hover();
    await page.keyboard.press('Enter');
    const doc = page.locator('.editor-instance .view-lines');
    await doc.locator('.view-line', { hasText: '# shop.products' }).first().waitFor({ timeout: 30_000 });
    // The whole window for the document: hide the side bar (its tree is in pg-tree.png).
    await page.keyboard.press('Control+B');
    await page.mouse.move(1200, 820);
    await page.waitForTimeout(500);
    await wb.screenshot('pg-statistics.png');
    const text = ((await doc.first().textContent()) ?? '').replace(/\u00a0/g, ' ');
    assert.match(text, /Total size/);
    assert.match(text, /products_sku_hash/);
  });
});
