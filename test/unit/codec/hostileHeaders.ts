// Builders of hostile age headers for the regression tests, and a CPU-time probe for age -d.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64').replace(/=+$/, '');

/** An age v1 file whose header has `n` X25519 stanzas for nobody, a random MAC and a short payload. */
export function manyX25519Stanzas(n: number): Buffer {
  let h = 'age-encryption.org/v1\n';
  for (let i = 0; i < n; i++) h += `-> X25519 ${b64(randomBytes(32))}\n${b64(randomBytes(32))}\n`;
  h += `--- ${b64(randomBytes(32))}\n`;
  return Buffer.concat([Buffer.from(h, 'latin1'), randomBytes(16), randomBytes(100)]);
}

/** CPU seconds (user + system) that `age -d -i idFile file` spends, from the shell's `times`. */
export function ageCpuSeconds(idFile: string, file: string): number {
  const r = spawnSync('/bin/bash', ['-c', '/usr/bin/age -d -i "$1" "$2" >/dev/null 2>&1; times', 'probe', idFile, file]);
  // `times` prints the shell's own times, then its children's: "0m0.429s 0m0.004s".
  const children = r.stdout.toString().trim().split('\n')[1] ?? '';
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (secs.length !== 2) throw new Error(`could not read the times of age -d: ${children}`);
  return (secs[0] as number) + (secs[1] as number);
}

/** CPU seconds this process spends in `f`. */
export async function cpuSeconds(f: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}
