import { execFile } from 'node:child_process';
import { statfs } from 'node:fs/promises';

/**
 * Makes durable everything written to the file system that holds `path` (its dirty pages,
 * inodes and folders, then the device's cache flushed): syncfs(2), through coreutils'
 * `sync --file-system`, since Node has no binding for it. One call stands for the fsync of every
 * file written there since the last one. Rejects when it could not be run, when the kernel
 * reported an error, or when the file system is not one known to sync whole (see trustsSyncfs);
 * undefined where there is no such command (not Linux).
 */
export type FileSystemSync = (path: string) => Promise<void>;

/**
 * Local file systems whose syncfs writes and waits for every dirty file, as fsync of each would.
 * Others are left out on purpose: FUSE (sshfs, say) answers syncfs with success without asking
 * its daemon, while it passes each fsync on; network and unknown ones get one fsync per file.
 */
const WHOLE_SYNC_TYPES = new Map<number, string>([
  [0xef53, 'ext2/3/4'],
  [0x58465342, 'xfs'],
  [0x9123683e, 'btrfs'],
  [0xf2f52010, 'f2fs'],
  [0x01021994, 'tmpfs'],
]);

/** Whether a statfs type (f_type) is one of WHOLE_SYNC_TYPES. */
export function trustsSyncfs(type: number | bigint): boolean {
  return WHOLE_SYNC_TYPES.has(Number(type));
}

export const syncFileSystem: FileSystemSync | undefined = process.platform === 'linux'
  ? async (path) => {
    const { type } = await statfs(path);
    if (!trustsSyncfs(type)) throw new Error(`the file system of ${path} (type 0x${type.toString(16)}) is synced one file at a time`);
    await new Promise<void>((resolve, reject) => {
      execFile('sync', ['--file-system', '--', path], { windowsHide: true }, (e, _out, err) => {
        if (e) reject(new Error(`sync --file-system failed${err ? `: ${String(err).trim()}` : ''}`, { cause: e }));
        else resolve();
      });
    });
  }
  : undefined;
