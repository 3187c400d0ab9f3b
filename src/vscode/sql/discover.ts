import * as vscode from 'vscode';
import { open } from 'node:fs/promises';
import { MB, readSetting } from '../settings';

const NAMED = /\.(db|sqlite|sqlite3)$/i;
const MAGIC = 'SQLite format 3\0';

/**
 * SQLite files in the workspace: names ending in .db/.sqlite/.sqlite3, and other files the glob
 * matches whose first 16 bytes are the SQLite header. Bounded by the glob, a count and a size.
 */
export async function discoverDatabases(token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  if (!vscode.workspace.workspaceFolders?.length) return [];
  const glob = readSetting('sql.discoveryGlob');
  const exclude = readSetting('sql.discoveryExclude');
  const maxFiles = readSetting('sql.discoveryMaxFiles');
  const maxBytes = readSetting('sql.discoveryMaxSizeMB') * MB;
  if (!glob) return [];
  const found = await vscode.workspace.findFiles(glob, exclude, maxFiles, token);
  const out: vscode.Uri[] = [];
  for (const uri of found) {
    if (uri.scheme !== 'file') continue;
    const head = await readHead(uri.fsPath);
    if (!head || head.size > maxBytes) continue;
    if (head.magic === MAGIC || (NAMED.test(uri.path) && head.size === 0)) out.push(uri);
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

async function readHead(path: string): Promise<{ size: number; magic: string } | undefined> {
  try {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const buf = Buffer.alloc(16);
      await fh.read(buf, 0, 16, 0);
      return { size, magic: buf.toString('latin1') };
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}
