import { openSync } from 'node:fs';
import * as tty from 'node:tty';

export const PASSPHRASE_ENV = 'STORAGE_INSPECTOR_PASSPHRASE';

/**
 * The passphrase from the environment, else typed at the terminal. Like age, it reads the
 * terminal itself (not stdin), so stdin stays free for the data.
 */
export async function askPassphrase(prompt: string): Promise<string | undefined> {
  const fromEnv = process.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined) return fromEnv;
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    return undefined;
  }
  const read = new tty.ReadStream(fd);
  const write = new tty.WriteStream(fd);
  read.setRawMode(true);
  write.write(prompt);
  try {
    return await new Promise<string | undefined>((resolve) => {
      let typed = '';
      read.on('data', (data: Buffer) => {
        for (const ch of data.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return resolve(typed);
          if (ch === '\u0003' || ch === '\u0004') return resolve(undefined);
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else typed += ch;
        }
      });
    });
  } finally {
    write.write('\n');
    read.setRawMode(false);
    read.destroy();
    write.destroy();
  }
}
