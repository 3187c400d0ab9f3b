// Stands in for a VS Code executable: takes VS Code's CLI arguments (as @vscode/test-electron's
// runTests passes them), runs the extension tests in code-server + headless Chromium, and exits
// with the code the workbench reports through window.codeAutomationExit.
import * as path from 'node:path';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import { launchChromium, startCodeServer, writeUserSettings } from './codeServer';

function argValue(args: string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  const hit = args.find((a) => a.startsWith(prefix));
  if (hit) return hit.slice(prefix.length);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const devPath = argValue(args, 'extensionDevelopmentPath');
  const testsPath = argValue(args, 'extensionTestsPath');
  if (!devPath || !testsPath) throw new Error('need --extensionDevelopmentPath and --extensionTestsPath');
  const folder = args.find((a) => !a.startsWith('-') && path.isAbsolute(a)) ?? devPath;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'si-host-'));
  const userDataDir = path.join(scratch, 'user-data');
  const extensionsDir = path.join(scratch, 'extensions');
  writeUserSettings(userDataDir);

  const server = await startCodeServer({ userDataDir, extensionsDir, output: (s) => { if (process.env.SI_VERBOSE) process.stdout.write(s); } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && process.env.SI_VERBOSE) process.stderr.write(`[workbench] ${m.text()}\n`);
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${path.resolve(p)}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(devPath)],
      ['extensionTestsPath', remote(testsPath)],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
    const timeoutMs = Number(process.env.SI_INTEGRATION_TIMEOUT_MS ?? 40 * 60_000);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        process.stderr.write(`integration run did not finish within ${timeoutMs / 1000} s\n`);
        resolve(1);
      }, timeoutMs);
    });
    const code = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    // Kept for the secrets check in scripts/test.sh: the extension's logs must hold no secret.
    const logs = path.join(userDataDir, 'logs');
    if (process.env.SI_LOG_DIR && existsSync(logs)) cpSync(logs, path.join(process.env.SI_LOG_DIR, path.basename(scratch)), { recursive: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`code-server host: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
