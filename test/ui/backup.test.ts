// The Backups view as a user sees it in the packaged extension: the demo's restic repository
// (snapshots by restic and by us), a snapshot's files expanded, and a file of it open in a tab.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { openWorkbench, ROOT, showStorage, type Workbench } from '../support/workbench';

describe('the Backups view in code-server', () => {
  let wb: Workbench;
  let project = '';

  before(async () => {
    wb = await openWorkbench('backup', {
      prepare: (scratch) => {
        const data = path.join(scratch, 'backup');
        execFileSync('bash', [path.join(ROOT, 'scripts/demo-backup.sh'), data], { stdio: 'ignore' });
        project = path.join(data, 'project');
        return { 'storageInspector.backup.repositories': JSON.parse(readFileSync(path.join(data, 'demo-backup-repositories.json'), 'utf8')) };
      },
    });
  });

  after(async () => wb?.close());

  it('lists the snapshots, newest first, with host, paths, tags and size added', async () => {
    const { page, row } = wb;
    await showStorage(page, ['Local', 'S3', 'SQL']);
    // A wider side bar, so the snapshots' descriptions read in full in the screenshot.
    const bar = (await page.locator('.part.sidebar').boundingBox())!;
    await page.mouse.move(bar.x + bar.width + 1, bar.y + 300);
    await page.mouse.down();
    await page.mouse.move(bar.x + 760, bar.y + 300, { steps: 5 });
    await page.mouse.up();
    await row('Demo backups').waitFor({ timeout: 60_000 }).catch(async (e: unknown) => { await wb.screenshot('backup-failure.png'); throw e; });
    await row('Demo backups').click();
    const snapshots = page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-description', { hasText: /demo-laptop/ }) });
    await snapshots.nth(2).waitFor({ timeout: 30_000 });
    assert.equal(await snapshots.count(), 3);
    // Sizes come in the background; each row is redrawn with its figure.
    await page.locator('.sidebar .label-description', { hasText: /#storage-inspector · \+\d/ }).first().waitFor({ timeout: 30_000 });
    assert.match((await snapshots.first().locator('.label-description').textContent()) ?? '', /#storage-inspector/);
    await snapshots.first().click();
    await row(project).waitFor({ timeout: 30_000 });
    await row(project).click();
    for (const label of ['config', 'src', 'inventory.db']) await row(label).waitFor({ timeout: 30_000 });
    await row('src').click();
    await row('inventory.js').waitFor({ timeout: 30_000 });
    await wb.screenshot('backup-snapshots.png');
  });

  it('opens a file of the snapshot read-only in a tab', async () => {
    const { page, row } = wb;
    await row('config').click();
    await row('app.json').waitFor({ timeout: 30_000 });
    await row('app.json').click();
    const editor = page.locator('.editor-instance .view-lines');
    await editor.locator('.view-line', { hasText: '"replicas": 3' }).first().waitFor({ timeout: 30_000 }).catch(async (e: unknown) => { await wb.screenshot('backup-failure.png'); throw e; });
    await page.locator('.tab.active', { hasText: 'app.json' }).first().waitFor({ timeout: 10_000 });
    await wb.screenshot('backup-file-open.png');
    // Typing into it changes nothing: the editor is read-only.
    await editor.first().click();
    await page.keyboard.type('xyz');
    assert.equal(await editor.locator('.view-line', { hasText: 'xyz' }).count(), 0);
  });
});
