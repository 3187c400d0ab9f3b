// Everyday palette use in the packaged extension, as a user sees it: Encrypt, Compress and
// Decompress from the command palette act on the active editor's file; with no editor open and no
// Storage view showing, Decrypt asks with a file picker and acts on the file picked; and Discard
// Changes on a database with nothing pending says so instead of doing nothing. The age and gzip
// CLIs (and the file's bytes) are the oracle. Keeps screenshots in .test-results/ui/.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { clearNotifications, NO_VSIX, openWorkbench, ROOT, runFromPalette, showStorage, toast, typeDialogPath, type Workbench } from '../support/workbench';

const LETTER = 'Dear reader,\nthis letter goes through age and back.\n';
const PLAN = 'step 1: compress\nstep 2: decompress\n';

describe('everyday palette use in code-server', { skip: NO_VSIX }, () => {
  let wb: Workbench;
  let page: Page;
  let identity = '';
  let recipient = '';
  let letter = '';
  let plan = '';
  let db = '';

  before(async () => {
    wb = await openWorkbench('palette', {
      prepare: (scratch, workspace) => {
        identity = path.join(scratch, 'key.txt');
        execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
        recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity], { encoding: 'utf8' }).trim();
        letter = path.join(workspace, 'letter.txt');
        writeFileSync(letter, LETTER);
        plan = path.join(workspace, 'plan.txt');
        writeFileSync(plan, PLAN);
        execFileSync('bash', [path.join(ROOT, 'scripts/demo-sql.sh'), workspace], { stdio: 'ignore' });
        db = path.join(workspace, 'bookshop.db');
      },
      get env() { return { STORAGE_INSPECTOR_IMPORT_IDENTITY: identity }; },
    });
    page = wb.page;
  });

  after(async () => wb?.close());

  /** On a failure keeps a screenshot of what the user would see. */
  const seen = async (l: ReturnType<Page['locator']>, name: string, timeout = 30_000) =>
    l.waitFor({ timeout }).catch(async (e: unknown) => { await wb.screenshot(`palette-failure-${name}.png`); throw e; });

  /** Opens a workspace file with Quick Open, as a user does, and waits for its text. */
  const quickOpen = async (name: string, text: string) => {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').first().fill(name);
    await seen(page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }), `quick-open-${name}`);
    await page.keyboard.press('Enter');
    await seen(page.locator('.editor-instance .view-lines', { hasText: text }).first(), `editor-${name}`);
  };

  /** Answers a quick pick titled `title` with the item `label`. */
  const answer = async (title: string | RegExp, label: string) => {
    const widget = page.locator('.quick-input-widget');
    await seen(widget.locator('.quick-input-title', { hasText: title }), `pick-${label}`);
    await widget.locator('input').first().fill(label);
    await seen(widget.locator('.quick-input-list .monaco-list-row.focused', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }), `pick-${label}-focused`);
    await page.keyboard.press('Enter');
  };

  it('Encrypt from the palette acts on the active editor\'s file; age decrypts what it wrote', async () => {
    // The Explorer is open at start: click into the workbench so the shortcuts reach it.
    await page.locator('.monaco-workbench').first().click({ position: { x: 700, y: 400 } }).catch(() => undefined);
    await page.locator('.activitybar [aria-label^="Storage"]').first().waitFor({ timeout: 60_000 });
    await quickOpen('letter.txt', 'Dear reader');
    await runFromPalette(page, 'Storage: Encrypt...');
    const widget = page.locator('.quick-input-widget');
    await seen(widget.locator('.quick-input-title', { hasText: 'Encrypt to age recipients' }), 'recipients');
    // The user's own recipient (the key is imported at activation, which this command may outrun).
    await widget.locator('input').first().fill(recipient);
    await wb.screenshot('palette-encrypt-recipients.png');
    await page.keyboard.press('Enter');
    await answer('Compress before encrypting', 'Encrypt only');
    await answer('Delete letter.txt once the new file is verified?', 'Delete original');
    const said = toast(page, /Wrote letter\.txt\.age \(encrypted from letter\.txt\) and deleted letter\.txt\./);
    await seen(said, 'encrypt-toast');
    const age = `${letter}.age`;
    assert.equal(execFileSync('/usr/bin/age', ['-d', '-i', identity, age], { encoding: 'utf8' }), LETTER, 'the age CLI decrypts it to the letter');
    assert.equal(existsSync(letter), false, 'the original is gone once the new file was verified');
    await wb.screenshot('palette-encrypt.png');
  });

  it('Compress from the palette acts on the active editor\'s file, and Decompress on the .gz its "Open" shows', async () => {
    await clearNotifications(page);
    await quickOpen('plan.txt', 'step 1: compress');
    await runFromPalette(page, 'Storage: Compress...');
    await answer('Delete plan.txt once the new file is verified?', 'Delete original');
    const said = toast(page, /Wrote plan\.txt\.gz \(compressed from plan\.txt\) and deleted plan\.txt\./);
    await seen(said, 'compress-toast');
    assert.equal(gunzipSync(readFileSync(`${plan}.gz`)).toString(), PLAN, 'gunzip reads the plan back');
    assert.equal(existsSync(plan), false);
    await wb.screenshot('palette-compress.png');
    // "Open" shows the new file decoded; it is then the active editor that Decompress acts on.
    await said.locator('.monaco-button', { hasText: 'Open' }).click();
    await seen(page.locator('.tabs-container .tab.active', { hasText: 'plan.txt.gz' }), 'gz-tab');
    await seen(page.locator('.editor-instance .view-lines', { hasText: 'step 2: decompress' }).first(), 'gz-text');
    await clearNotifications(page);
    await runFromPalette(page, 'Storage: Decompress...');
    await answer('Delete plan.txt.gz once the new file is verified?', 'Keep original');
    await seen(toast(page, /Wrote plan\.txt \(decompressed from plan\.txt\.gz\); plan\.txt\.gz is kept\./), 'decompress-toast');
    assert.equal(readFileSync(plan, 'utf8'), PLAN, 'the plan is back, byte for byte');
    assert.ok(existsSync(`${plan}.gz`));
    await wb.screenshot('palette-decompress.png');
  });

  it('with no editor open and no Storage view showing, Decrypt asks with a file picker and decrypts the file picked', async () => {
    await clearNotifications(page);
    await runFromPalette(page, 'View: Close All Editors');
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 30_000 });
    // The Explorer, not the Storage container, is in the side bar: no view selection counts.
    await page.keyboard.press('Control+Shift+E');
    await runFromPalette(page, 'Storage: Decrypt...');
    const dialog = page.locator('.quick-input-widget');
    await seen(dialog.locator('.quick-input-title', { hasText: 'Choose a file' }), 'decrypt-picker');
    await wb.screenshot('palette-decrypt-picker.png');
    await typeDialogPath(page, `${letter}.age`);
    await page.keyboard.press('Enter');
    await answer('Delete letter.txt.age once the new file is verified?', 'Keep original');
    await seen(toast(page, /Wrote letter\.txt \(decrypted from letter\.txt\.age\); letter\.txt\.age is kept\./), 'decrypt-toast');
    assert.equal(readFileSync(letter, 'utf8'), LETTER, 'the letter is back, byte for byte');
    await wb.screenshot('palette-decrypt.png');
  });

  it('Discard Changes on a database with nothing pending says so, and leaves the file alone', async () => {
    await clearNotifications(page);
    await showStorage(page, ['Local', 'S3', 'Backups']);
    await seen(wb.row('bookshop.db'), 'db-row', 60_000);
    await wb.row('bookshop.db').click();
    await seen(wb.row('Tables'), 'db-open', 60_000);
    const before = statSync(db).mtimeMs;
    const bytes = readFileSync(db);
    await runFromPalette(page, 'Storage: Discard Changes');
    await seen(toast(page, /bookshop\.db has no unsaved changes, so there is nothing to discard\./), 'discard-toast');
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'nothing to ask about');
    assert.equal(statSync(db).mtimeMs, before);
    assert.ok(readFileSync(db).equals(bytes), 'the database file is as it was');
    await wb.screenshot('palette-discard-nothing.png');
  });
});
