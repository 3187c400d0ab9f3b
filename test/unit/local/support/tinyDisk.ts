// A tiny tmpfs for full-disk tests (the test run is root). Each test mounts its own and
// unmounts it after, so a failing test cannot leave a full disk behind for the next.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TinyDisk {
  dir: string;
  unmount(): void;
}

export function mountTinyDisk(sizeKiB: number): TinyDisk {
  const dir = mkdtempSync(join(tmpdir(), 'si-tiny-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0755`, 'tmpfs', dir]);
  let mounted = true;
  const unmount = (): void => {
    if (!mounted) return;
    mounted = false;
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', () => {
    try {
      unmount();
    } catch {
      // Best effort at exit; the normal path unmounts in the test's after().
    }
  });
  return { dir, unmount };
}
