// The demo's second half, run with the S3 server and PostgreSQL up: sample data, the packaged extension, code-server.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { installExtension, startCodeServer, writeUserSettings } from '../test/support/codeServer';

const root = path.resolve(__dirname, '..');
const demo = process.env.DEMO!;
const port = Number(process.env.PORT ?? 8080);
const workspace = path.join(demo, 'workspace');
const localRoot = path.join(workspace, 'local-root');
const identityFile = path.join(localRoot, 'demo-identity.txt');
const opts = { userDataDir: path.join(demo, 'user'), extensionsDir: path.join(demo, 'extensions') };

/** Each area's sample data comes from its own script, when present. */
function sample(area: string, ...args: string[]): boolean {
  const script = path.join(root, 'scripts', `demo-${area}.sh`);
  if (!existsSync(script)) return false;
  console.log(`demo: making the ${area} sample data`);
  execFileSync('bash', [script, ...args], { stdio: 'inherit' });
  return true;
}

async function main(): Promise<void> {
  const settings: Record<string, unknown> = {};
  if (sample('local', localRoot)) settings['storageInspector.local.roots'] = [localRoot];
  sample('sql', path.join(workspace, 'databases'));
  // One identity opens everything: the S3 sample is encrypted to the local sample's key.
  const recipient = existsSync(identityFile)
    ? execFileSync('/usr/bin/age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim()
    : '';
  const s3Dir = path.join(demo, 's3');
  if (sample('s3', s3Dir, recipient)) {
    settings['storageInspector.s3.connections'] = JSON.parse(readFileSync(path.join(s3Dir, 'demo-s3-connection.json'), 'utf8'));
  }
  // PostgreSQL (scripts/pg.sh's cluster, when demo.sh started one): the connection is in the
  // settings and its password in a pgpass file the server's environment names, as libpq reads it.
  const pgDir = path.join(demo, 'pg');
  const env: NodeJS.ProcessEnv = {};
  if (process.env.SI_PG_PORT && sample('pg', pgDir)) {
    settings['storageInspector.pg.connections'] = JSON.parse(readFileSync(path.join(pgDir, 'demo-pg-connection.json'), 'utf8'));
    env.PGPASSFILE = path.join(pgDir, 'pgpass');
  }
  const backupDir = path.join(demo, 'backup');
  if (sample('backup', backupDir)) settings['storageInspector.backup.repositories'] = JSON.parse(readFileSync(path.join(backupDir, 'demo-backup-repositories.json'), 'utf8'));
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  writeUserSettings(opts.userDataDir);
  installExtension(path.join(root, 'dist-vsix', 'storage-inspector.vsix'), opts);
  // The identity goes into VS Code's secret storage on activation; the S3 sample's dummy keys
  // reach the connection through the default AWS provider chain (the environment).
  if (existsSync(identityFile)) env.STORAGE_INSPECTOR_IMPORT_IDENTITY = identityFile;
  const server = await startCodeServer({ ...opts, port, env });
  console.log(`\nStorage Inspector is running in VS Code 1.100.3 (code-server). Open:\n\n  ${server.url}/?folder=${encodeURIComponent(workspace)}\n`);
  console.log(`Sample data: ${workspace}, the S3 server at ${process.env.SI_S3_ENDPOINT}${process.env.SI_PG_PORT ? ` and PostgreSQL on 127.0.0.1:${process.env.SI_PG_PORT}` : ''}. Ctrl-C stops everything.`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => undefined);
}

void main().catch((e: unknown) => {
  console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
