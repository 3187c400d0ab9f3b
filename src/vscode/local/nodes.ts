import type { LocalEntry } from '../../core/local/entry';
import type { ListCursor } from '../../core/local/listing';

/** Tree elements are plain data; the provider renders them and keeps folder nodes stable. */
export type LocalNode =
  | { kind: 'root'; rootId: string; path: string; name: string }
  | { kind: 'folder'; rootId: string; path: string; entry: LocalEntry }
  | { kind: 'file'; rootId: string; path: string; entry: LocalEntry }
  | { kind: 'more'; rootId: string; parentPath: string; cursor: ListCursor }
  | { kind: 'error'; rootId: string; parentPath: string; message: string };

export type ContainerNode = Extract<LocalNode, { kind: 'root' | 'folder' }>;

export function isContainer(n: LocalNode): n is ContainerNode {
  return n.kind === 'root' || n.kind === 'folder';
}

/** The absolute path a command should act on, from a node, a URI-like or a string argument. */
export function pathOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const a = arg as { kind?: string; path?: unknown; fsPath?: unknown; scheme?: unknown };
    if (typeof a.fsPath === 'string' && a.scheme === 'file') return a.fsPath;
    if (typeof a.kind === 'string' && typeof a.path === 'string') return a.path;
  }
  return undefined;
}
