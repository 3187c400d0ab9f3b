// One entry for the integration suites. Here it runs them in code-server through an executable
// that speaks VS Code's CLI; with SI_VSCODE=desktop, @vscode/test-electron downloads a desktop
// VS Code and runs the very same suites in it.
import { runTests } from '@vscode/test-electron';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

export interface Counts { passed: number; failed: number; skipped: number; failures?: string[] }

export async function runIntegration(env: Record<string, string> = {}): Promise<Counts> {
  return JSON.parse(await runInHost('out/test/integration/index.js', env)) as Counts;
}

/**
 * Runs one extensionTestsPath module in a fresh VS Code and returns what it wrote to
 * SI_TEST_RESULTS (JSON text). The module's log is printed.
 */
export async function runInHost(testsModule: string, env: Record<string, string> = {}): Promise<string> {
  const desktop = process.env.SI_VSCODE === 'desktop';
  const ownWorkspace = env.SI_WORKSPACE === undefined;
  const workspace = env.SI_WORKSPACE ?? mkdtempSync(path.join(os.tmpdir(), 'si-ws-'));
  const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'si-results-'));
  const results = path.join(resultsDir, 'integration.json');
  const log = path.join(resultsDir, 'integration.log');
  try {
    await runTests({
      ...(desktop ? {} : { vscodeExecutablePath: path.join(root, 'test/support/code-server-host') }),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, testsModule),
      launchArgs: [workspace, '--disable-extensions'],
      extensionTestsEnv: { ...env, SI_TEST_RESULTS: results, SI_TEST_LOG: log },
    });
  } catch {
    // A non-zero exit: the counts file says how many failed, if the suite got that far.
  }
  try {
    process.stdout.write(readFileSync(log, 'utf8'));
  } catch {
    // no log: the host never ran the suites
  }
  try {
    return readFileSync(results, 'utf8');
  } catch {
    return JSON.stringify({ passed: 0, failed: 1, skipped: 0, failures: ['the run ended before it reported results'] });
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
    if (ownWorkspace) rmSync(workspace, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runIntegration().then((c) => {
    if (process.argv[2]) writeFileSync(process.argv[2], JSON.stringify(c));
    console.log(`integration: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
    process.exit(c.failed > 0 ? 1 : 0);
  });
}
