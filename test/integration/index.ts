// Entry that VS Code's extension host requires as extensionTestsPath: runs every suite with mocha
// and writes the counts where the launcher reads them.
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { refusePrompts, takeUnexpectedPrompts } from './noPrompts';

export async function run(): Promise<void> {
  // The extension host's stdout goes nowhere visible, so the reporter writes to a file the launcher prints.
  const log = process.env.SI_TEST_LOG;
  if (log) {
    writeFileSync(log, '');
    const write = (...args: unknown[]) => appendFileSync(log, format(...args) + '\n');
    Mocha.reporters.Base.consoleLog = write;
    console.log = write;
  }
  refusePrompts();
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    reporter: 'spec',
    rootHooks: {
      afterEach() {
        const refused = takeUnexpectedPrompts();
        if (refused.length > 0) throw new Error(`the test reached ${refused.length} prompt(s) meant for a user: ${refused.join(', ')}`);
      },
    },
  });
  const only = process.env.SI_INTEGRATION_GREP;
  if (only) mocha.grep(only);
  const suites = (process.env.SI_INTEGRATION_SUITES ?? '').split(',').filter(Boolean);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => suites.length === 0 || suites.includes(f.replace(/\.test\.js$/, '')))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] as string[] };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => counts.passed++);
    runner.on('fail', (t, err: Error) => {
      counts.failed++;
      counts.failures.push(`${t.fullTitle()}: ${err.message}`);
    });
    runner.on('pending', () => counts.skipped++);
  });
  const out = process.env.SI_TEST_RESULTS;
  if (out) writeFileSync(out, JSON.stringify(counts));
  if (counts.failed > 0) throw new Error(`${counts.failed} integration test(s) failed`);
}
