// Runs the CLI as a user would: a separate process, under tsx.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const MAIN = resolve(__dirname, '../../../src/cli/main.ts');

export interface CliResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export function cli(args: string[], opts: { input?: Uint8Array; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    input: opts.input,
    env: { ...process.env, ...opts.env },
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}
