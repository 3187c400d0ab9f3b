import { execFile } from 'node:child_process';

/**
 * Makes durable everything written to the file system that holds `path` (its dirty pages,
 * inodes and folders, then the device's cache flushed): syncfs(2), through coreutils'
 * `sync --file-system`, since Node has no binding for it. One call stands for the fsync of every
 * file written there since the last one. Rejects when it could not be run or the kernel reported
 * an error; undefined where there is no such command (not Linux).
 */
export type FileSystemSync = (path: string) => Promise<void>;

export const syncFileSystem: FileSystemSync | undefined = process.platform === 'linux'
  ? (path) => new Promise((resolve, reject) => {
    execFile('sync', ['--file-system', '--', path], { windowsHide: true }, (e, _out, err) => {
      if (e) reject(new Error(`sync --file-system failed${err ? `: ${String(err).trim()}` : ''}`, { cause: e }));
      else resolve();
    });
  })
  : undefined;
