// The Backups view as a user sees it in the packaged extension: the demo's restic repository
// (snapshots by restic and by us), a snapshot's files expanded, a file of it open in a tab, a big
// folder paged with "Load more...", and a gzip file compared with the current one, decoded.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { openWorkbench, ROOT, showStorage, type Workbench } from '../support/workbench';

describe('the Backups view in code-server', () => {
  let wb: Workbench;
  let project = '';
  let logs = '';

  before(async () => {
    wb = await openWorkbench('backup', {
      prepare: (scratch) => {
        const data = path.join(scratch, 'backup');
        execFileSync('bash', [path.join(ROOT, 'scripts/demo-backup.sh'), data], { stdio: 'ignore' });
        project = path.join(data, 'project');
        // A folder of 25 files, more than the page size below, in a fourth snapshot (another host).
        logs = path.join(data, 'logs');
        mkdirSync(logs);
        for (let i = 0; i < 25; i++) writeFileSync(path.join(logs, `entry-${String(i).padStart(2, '0')}.log`), `entry ${i}\n`);
        execFileSync('/usr/bin/restic', ['-r', path.join(data, 'repo'), '--password-file', path.join(data, 'repo-password.txt'), '--no-cache', '-q', 'backup', '--host', 'ui-host', logs], { stdio: 'ignore' });
        // The journal changed since the snapshots: the comparison shows the change, decoded.
        writeFileSync(path.join(project, 'notes', 'journal.txt.gz'), gzipSync('2026-11-28 ordered more widgets\n2026-12-01 the widgets came\n'));
        return {
          'storageInspector.backup.repositories': JSON.parse(readFileSync(path.join(data, 'demo-backup-repositories.json'), 'utf8')),
          'storageInspector.backup.pageSize': 10,
        };
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

  it('pages a big snapshot folder: the first page and a "Load more..." row that shows the rest', async () => {
    const { page, row } = wb;
    const mine = page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-description', { hasText: /^ui-host/ }) }).first();
    await mine.waitFor({ timeout: 30_000 });
    await mine.click();
    await row(logs).waitFor({ timeout: 30_000 });
    await row(logs).click();
    await row('entry-09.log').waitFor({ timeout: 30_000 });
    const more = row('Load more...');
    await more.waitFor({ timeout: 30_000 });
    assert.equal(await row('entry-10.log').count(), 0, 'the first page holds 10 files');
    assert.equal((await more.locator('.label-description').textContent())?.trim(), '10 of 25 shown');
    await wb.screenshot('backup-load-more.png');
    await more.click();
    await row('entry-19.log').waitFor({ timeout: 30_000 });
    await page.locator('.sidebar .label-description', { hasText: /^20 of 25 shown$/ }).waitFor({ timeout: 30_000 });
    await row('Load more...').click();
    await row('entry-24.log').waitFor({ timeout: 30_000 });
    assert.equal(await row('Load more...').count(), 0, 'all 25 shown, no Load more row');
    // Folded again, so the next walk has room.
    await row(logs).click();
  });

  it('compares a gzip file of a snapshot with the current one, both sides decoded', async () => {
    const { page, row } = wb;
    await row('notes').waitFor({ timeout: 30_000 });
    await row('notes').click();
    await row('journal.txt.gz').waitFor({ timeout: 30_000 });
    await row('journal.txt.gz').click({ button: 'right' });
    await page.locator('.context-view .action-label', { hasText: /^Compare with Current File$/ }).first().hover();
    await page.keyboard.press('Enter');
    const tab = page.locator('.tab.active', { hasText: /^journal\.txt\.gz \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ↔ current\)/ }).first();
    await tab.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => { await wb.screenshot('backup-failure.png'); throw e; });
    const diff = page.locator('.monaco-diff-editor');
    await diff.locator('.editor.original .view-line', { hasText: 'ordered more widgets' }).first().waitFor({ timeout: 30_000 });
    await diff.locator('.editor.modified .view-line', { hasText: 'the widgets came' }).first().waitFor({ timeout: 30_000 });
    assert.equal(await diff.locator('.view-line', { hasText: '\u001f' }).count(), 0, 'no side shows gzip bytes');
    // Away from the tree, so no row's tooltip covers the screenshot.
    await diff.first().hover();
    await wb.screenshot('backup-compare.png');
  });
});
