import { appendFileSync } from 'node:fs';

/** Prints a line into the integration log (the extension host's own stdout is not shown). */
export function report(line: string): void {
  const log = process.env.SI_TEST_LOG;
  if (log) appendFileSync(log, `${line}\n`);
}
