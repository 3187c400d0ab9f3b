// Everyday S3 use in the packaged extension, as a user sees it: version rows read by time with a
// version tab open (titled by its time and short id), and the Add S3 Connection steps with their
// counter, a refused endpoint kept across Back, and the test at the end that keeps what was typed
// when it fails and shows why in full.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { clearNotifications, openWorkbench, progressGone, ROOT, showStorage, toast, type Workbench } from '../support/workbench';

const endpoint = process.env.SI_S3_ENDPOINT;
const TIME_LABEL = /^(just now|\d+ \w+ ago|yesterday)$/;

describe('everyday S3 use in code-server', () => {
  let wb: Workbench;

  before(async () => {
    assert.ok(endpoint, 'SI_S3_ENDPOINT is not set: run the suites under scripts/moto.sh');
    let identity = '';
    wb = await openWorkbench('everyday-s3', {
      prepare: (scratch) => {
        identity = path.join(scratch, 'key.txt');
        execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
        const recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity], { encoding: 'utf8' }).trim();
        const data = path.join(scratch, 's3');
        execFileSync('bash', [path.join(ROOT, 'scripts/demo-s3.sh'), data, recipient], {
          stdio: 'ignore', env: { ...process.env, DEMO_S3_BUCKET: 'ui-everyday' },
        });
        return { 'storageInspector.s3.connections': JSON.parse(readFileSync(path.join(data, 'demo-s3-connection.json'), 'utf8')) };
      },
      get env() { return { STORAGE_INSPECTOR_IMPORT_IDENTITY: identity }; },
    });
  });

  after(async () => wb?.close());

  it('labels versions by time and titles a version tab "key @ time (short id)"', async () => {
    const { page, row } = wb;
    await showStorage(page, ['Local', 'SQL', 'Backups']);
    for (const label of ['Demo (local S3)', 'ui-everyday', 'services/', 'billing/']) {
      await row(label).waitFor({ timeout: 60_000 }).catch(async (e: unknown) => { await wb.screenshot('everyday-s3-failure.png'); throw e; });
      await row(label).click();
    }
    await row('config.json.gz.age').waitFor({ timeout: 30_000 });
    await row('config.json.gz.age').locator('.monaco-tl-twistie').click();
    const versions = page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: TIME_LABEL }) });
    await page.locator('.sidebar .label-description', { hasText: /^latest · / }).first().waitFor({ timeout: 30_000 });
    assert.equal(await versions.count(), 4, 'four versions, each labelled by its time');
    // An older version: its row's own click opens it read-only.
    const older = versions.filter({ hasNot: page.locator('.label-description', { hasText: /^latest/ }) }).last();
    const description = (await older.locator('.label-description').textContent()) ?? '';
    const short = /· (\S{1,8})$/.exec(description)?.[1];
    assert.ok(short, `the description ends with the short version id: ${description}`);
    await older.click();
    const tab = page.locator('.tabs-container .tab.active .label-name');
    await tab.waitFor({ timeout: 30_000 });
    await page.locator('.tabs-container .tab.active', { hasText: short }).waitFor({ timeout: 30_000 });
    const title = ((await tab.textContent()) ?? '').trim();
    assert.match(title, new RegExp(`^config\\.json\\.gz\\.age @ \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(${short}\\)$`));
    await page.locator('.monaco-editor .view-lines', { hasText: '"replicas"' }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('everyday-s3-versions.png');
    // The tab's tooltip names the full version id.
    await page.locator('.tabs-container .tab.active').hover();
    // The hover's text has non-breaking spaces, which \s matches.
    const hover = page.locator('.workbench-hover', { hasText: /version\s\S+\sof\ss3:\/\/ui-everyday\/services\/billing\/config\.json\.gz\.age\s@/ }).first();
    await hover.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => { await wb.screenshot('everyday-s3-failure.png'); throw e; });
    assert.ok(((await hover.textContent()) ?? '').includes(short), 'the full id starts with the short one');
    await wb.screenshot('everyday-s3-version-tab-tooltip.png');
    await page.mouse.move(700, 500);
  });

  it('restores the version from its tab\'s menu, says so, and "Reveal" selects the object in the tree', async () => {
    const { page } = wb;
    await page.locator('.tabs-container .tab.active').click({ button: 'right' });
    await page.locator('.context-view .action-label', { hasText: /^Restore This Version$/ }).first().hover();
    await page.keyboard.press('Enter');
    const toast = page.locator('.notification-toast', { hasText: /Restored version \S+ \(\d{4}-\d\d-\d\d \d\d:\d\d\) of s3:\/\/ui-everyday\/services\/billing\/config\.json\.gz\.age as the new latest version/ });
    await toast.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => { await wb.screenshot('everyday-s3-failure.png'); throw e; });
    await wb.screenshot('everyday-s3-restored.png');
    await toast.locator('.monaco-button', { hasText: 'Reveal' }).click();
    await page.locator('.sidebar .monaco-list-row.selected', { has: page.locator('.label-name', { hasText: /^config\.json\.gz\.age$/ }) }).waitFor({ timeout: 30_000 })
      .catch(async (e: unknown) => { await wb.screenshot('everyday-s3-failure.png'); throw e; });
    await wb.screenshot('everyday-s3-revealed.png');
  });

  it('walks Add S3 Connection with a step counter, a refused endpoint and Back, which keeps the refused text', async () => {
    const { page } = wb;
    // The toasts of the walks above would cover the last step's messages.
    await clearNotifications(page);
    await page.keyboard.press('F1');
    const quickInput = page.locator('.quick-input-widget');
    await quickInput.locator('input').first().waitFor({ timeout: 30_000 });
    await page.keyboard.type('Storage: Add S3 Connection');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Add S3 Connection' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await quickInput.locator('.quick-input-title', { hasText: 'Add S3 Connection: name' }).waitFor({ timeout: 30_000 });
    await page.keyboard.type('NAS');
    await page.keyboard.press('Enter');
    await quickInput.locator('.quick-input-title', { hasText: 'endpoint URL' }).waitFor({ timeout: 30_000 });
    await page.keyboard.type('ftp://nas.local');
    // The endpoint is checked as it is typed, at its own step.
    await quickInput.locator('.quick-input-message', { hasText: /http:\/\/ or https:\/\// }).waitFor({ timeout: 30_000 });
    const counter = quickInput.locator('.quick-input-title');
    assert.match((await counter.textContent()) ?? '', /\b2\/8\b/, 'the counter says step 2 of 8');
    await wb.screenshot('everyday-s3-wizard.png');
    // Back returns to the name, as it was typed.
    await quickInput.locator('.quick-input-titlebar .codicon-quick-input-back, .quick-input-titlebar [aria-label="Back"]').first().click();
    await quickInput.locator('.quick-input-title', { hasText: 'Add S3 Connection: name' }).waitFor({ timeout: 30_000 });
    assert.equal(await quickInput.locator('input').first().inputValue(), 'NAS');
    await wb.screenshot('everyday-s3-wizard-back.png');
    // Forward again: the endpoint step shows what was typed there, refused or not, and why it is refused.
    await page.keyboard.press('Enter');
    await quickInput.locator('.quick-input-title', { hasText: 'endpoint URL' }).waitFor({ timeout: 30_000 });
    assert.equal(await quickInput.locator('input').first().inputValue(), 'ftp://nas.local', 'Back kept the refused text');
    await quickInput.locator('.quick-input-message', { hasText: /http:\/\/ or https:\/\// }).waitFor({ timeout: 30_000 });
    await wb.screenshot('everyday-s3-wizard-back-kept.png');
  });

  it('ends Add S3 Connection with a test; a failed test keeps every answer and leads back to the step to change', async () => {
    const { page, row } = wb;
    const quickInput = page.locator('.quick-input-widget');
    const box = quickInput.locator('input').first();
    const title = (text: string | RegExp) => quickInput.locator('.quick-input-title', { hasText: text });
    // At the endpoint (the name NAS is kept): an endpoint nothing listens on.
    await title('endpoint URL').waitFor({ timeout: 30_000 });
    await box.fill('http://127.0.0.1:9');
    await quickInput.locator('.quick-input-message', { hasText: /http:\/\/ or https:\/\// }).waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    await page.keyboard.press('Enter');
    await title('region').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter'); // us-east-1
    await title('addressing').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter'); // Path-style, as an endpoint suggests
    await title('credentials').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter'); // Access key pair
    await title('access key id').waitFor({ timeout: 30_000 });
    await page.keyboard.type('testing');
    await page.keyboard.press('Enter');
    await title('secret access key').waitFor({ timeout: 30_000 });
    await page.keyboard.type('testing');
    await page.keyboard.press('Enter');
    await title(/the test failed \(8\/8\)/).waitFor({ timeout: 60_000 }).catch(async (e: unknown) => { await wb.screenshot('everyday-s3-failure.png'); throw e; });
    const items = (await quickInput.locator('.quick-input-list .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.ok(items.some((t) => t.startsWith('Change the Name') && t.includes('NAS')), `the name is kept: ${items.join(' | ')}`);
    assert.ok(items.some((t) => t.startsWith('Change the Endpoint') && t.includes('http://127.0.0.1:9')), `the endpoint is kept: ${items.join(' | ')}`);
    assert.ok(items.some((t) => t.startsWith('Change the Credentials') && t.includes('testing')), `the key id is kept: ${items.join(' | ')}`);
    await progressGone(page, /Testing the S3 connection "NAS"/);
    // The reason is shown whole (a placeholder cut it off), and the placeholder says what to do.
    const why = page.locator('.notifications-toasts .notification-toast', { hasText: /The test of the S3 connection "NAS" failed: / }).first();
    await why.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => { await wb.screenshot('everyday-s3-failure.png'); throw e; });
    const reason = ((await why.innerText()).replace(/\s+/g, ' '));
    assert.match(reason, /The test of the S3 connection "NAS" failed: .*(127\.0\.0\.1:9|connect|refused).* Pick what to change; what you typed is kept\./i);
    assert.equal(await box.getAttribute('placeholder'), 'Pick what to change; what you typed is kept.');
    await wb.screenshot('everyday-s3-wizard-test-failed.png');
    // Change the endpoint only: the step shows what was typed; after it the test runs again.
    await box.fill('Change the Endpoint');
    await quickInput.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Change the Endpoint' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await title('endpoint URL').waitFor({ timeout: 30_000 });
    assert.equal(await box.inputValue(), 'http://127.0.0.1:9');
    await box.fill(endpoint!);
    await page.keyboard.press('Enter');
    const added = toast(page, /Added the S3 connection "NAS"; it works: /);
    await added.waitFor({ timeout: 60_000 }).catch(async (e: unknown) => { await wb.screenshot('everyday-s3-failure.png'); throw e; });
    await row('NAS').waitFor({ timeout: 30_000 });
    await page.mouse.move(700, 500); // off the title bar's buttons, whose tooltips would cover the tab
    await wb.screenshot('everyday-s3-wizard-tested.png');
  });
});
