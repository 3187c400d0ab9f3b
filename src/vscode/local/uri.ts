import * as vscode from 'vscode';
import { relativeInRoot, type LocalRoot } from '../../core/local/roots';

export const LOCAL_SCHEME = 'storage-local';

/** `storage-local://<rootId>/<path inside the root>`: the decoded view of a local file. */
export function localUri(root: LocalRoot, absPath: string): vscode.Uri {
  return vscode.Uri.from({ scheme: LOCAL_SCHEME, authority: root.id, path: `/${relativeInRoot(root, absPath)}` });
}
