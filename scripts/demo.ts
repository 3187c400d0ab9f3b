// The demo's second half, run with the S3 server up: sample data, the packaged extension, code-server.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { installExtension, startCodeServer, writeUserSettings } from '../test/support/codeServer';

const root = path.resolve(__dirname, '..');
const demo = process.env.DEMO!;
const port = Number(process.env.PORT ?? 8080);
const workspace = path.join(demo, 'workspace');
const opts = { userDataDir: path.join(demo, 'user'), extensionsDir: path.join(demo, 'extensions') };

/** Each area's sample data comes from its own script, when present. */
function sample(area: string, ...args: string[]): void {
  const script = path.join(root, 'scripts', `demo-${area}.sh`);
  if (!existsSync(script)) return;
  console.log(`demo: making the ${area} sample data`);
  execFileSync('bash', [script, ...args], { stdio: 'inherit' });
}

async function main(): Promise<void> {
  sample('local', path.join(workspace, 'local-root'));
  sample('sql', path.join(workspace, 'databases'));
  sample('s3', workspace);
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({
    'storageInspector.local.roots': [path.join(workspace, 'local-root')],
  }, null, 2));
  writeUserSettings(opts.userDataDir);
  installExtension(path.join(root, 'dist-vsix', 'storage-inspector.vsix'), opts);
  const server = await startCodeServer({ ...opts, port, output: () => undefined });
  console.log(`\nStorage Inspector is running in VS Code ${'1.100.3'} (code-server):\n\n  ${server.url}/?folder=${encodeURIComponent(workspace)}\n`);
  console.log(`S3 server: ${process.env.SI_S3_ENDPOINT} (dummy credentials in the sample connection). Ctrl-C stops everything.`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => undefined);
}

void main();
