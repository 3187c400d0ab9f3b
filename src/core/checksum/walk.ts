import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mapFsError } from '../local/fsErrors';
import { isTempName } from '../local/tempNames';

export interface WalkedFile {
  /** `/`-separated, relative to the walk's root: the name a manifest records. */
  name: string;
  path: string;
  size: number;
}

/**
 * Every regular file under `root`, sorted by name (byte order, as `LC_ALL=C sort`).
 * Links to files are followed, as sha256sum would; links to folders are not entered,
 * so a link loop cannot trap the walk. Our own temp files are left out.
 */
export async function walkFiles(root: string, skip: (name: string) => boolean = () => false, signal?: AbortSignal): Promise<WalkedFile[]> {
  const out: WalkedFile[] = [];
  async function visit(dir: string, prefix: string): Promise<void> {
    let handle;
    try {
      handle = await opendir(dir);
    } catch (e) {
      throw mapFsError(e, dir);
    }
    const subdirs: string[] = [];
    for await (const d of handle) {
      if (signal?.aborted) break;
      if (isTempName(d.name)) continue;
      const name = prefix + d.name;
      const path = join(dir, d.name);
      if (d.isDirectory()) subdirs.push(d.name);
      else if (d.isFile()) out.push({ name, path, size: -1 });
      else if (d.isSymbolicLink()) {
        const st = await stat(path).catch(() => undefined);
        if (st?.isFile()) out.push({ name, path, size: st.size });
      }
    }
    // Sibling folders are read side by side; the final sort makes the order deterministic.
    await Promise.all(subdirs.map((s) => visit(join(dir, s), `${prefix}${s}/`)));
  }
  await visit(root, '');
  const kept = out.filter((f) => !skip(f.name));
  kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return kept;
}
