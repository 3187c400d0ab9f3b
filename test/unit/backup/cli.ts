import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const CLI = resolve(__dirname, '../../../src/cli/main.ts');
const TSX = resolve(__dirname, '../../../node_modules/tsx/dist/loader.mjs');
const exec = promisify(execFile);

/** Our CLI, with exit code and both streams. */
export async function si(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', TSX, CLI, ...args], { env: { ...process.env, NODE_OPTIONS: '', RESTIC_PASSWORD_FILE: '' }, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}
