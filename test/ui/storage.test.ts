// Looks at the packaged extension as a user would: installs the .vsix into code-server,
// opens the Storage container in Chromium, and keeps a screenshot for people to look at.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { openWorkbench, showStorage, type Workbench } from '../support/workbench';

describe('the packaged extension in code-server', () => {
  let wb: Workbench;
  before(async () => { wb = await openWorkbench('storage'); });
  after(async () => wb?.close());

  it('shows the Storage container with its four views and their welcome buttons', async () => {
    const { page } = wb;
    await showStorage(page);
    for (const title of ['Local', 'S3', 'SQL', 'Backups']) {
      await page.locator('.pane-header h3.title', { hasText: new RegExp(`^${title}$`) }).first().waitFor({ timeout: 30_000 });
    }
    for (const button of ['Add Local Root...', 'Add S3 Connection...', 'Open SQLite Database...', 'Add Repository...', 'Create Repository...']) {
      await page.getByRole('button', { name: button }).first().waitFor({ timeout: 30_000 });
    }
    await wb.screenshot('storage-container.png');
    const titles = await page.locator('.sidebar .pane-header h3.title').allTextContents();
    assert.deepEqual(titles.map((t) => t.trim()), ['Local', 'S3', 'SQL', 'Backups']);
  });
});
