import type { Ctx } from '../ctx';
import { pick, type Answers } from '../prompts';
import type { BackupNode, EntryNode } from './nodes';
import { whereOf } from './repoEntry';
import { storageError } from '../../core/errors';

/** The repository a command acts on: the row's, else a pick (`answers.pick` names it; one repository needs no pick). */
export async function repoIdOf(ctx: Ctx, arg: unknown, answers: Answers = {}, title = 'Backup repository'): Promise<string | undefined> {
  if (typeof arg === 'string') return ctx.backup.repos.get(arg).id;
  const n = arg as Partial<BackupNode> | undefined;
  if (n && typeof n === 'object' && 'repoId' in n && typeof n.repoId === 'string') return n.repoId;
  const all = ctx.backup.repos.list();
  if (all.length === 0) throw storageError('NotFound', 'There is no backup repository yet. Use "Add Backup Repository..." or "Create Backup Repository..." first.');
  if (all.length === 1 && answers.pick === undefined) return all[0]!.id;
  const chosen = await pick(all.map((r) => ({ label: r.name, description: whereOf(r), id: r.id })), { title }, answers);
  return chosen?.id;
}

/** The snapshot entry (file, folder, symlink) or snapshot row a command was run on. */
export function isEntry(arg: unknown): arg is EntryNode {
  return typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'backupEntry';
}

export function isNode(arg: unknown): arg is BackupNode {
  return typeof arg === 'object' && arg !== null && typeof (arg as { kind?: unknown }).kind === 'string' && String((arg as { kind: string }).kind).startsWith('backup');
}

/** The options a command takes after its node (Answers and the command's own fields), or {}. */
export function optionsOf<T extends object>(arg: unknown): Partial<T> & Answers {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg) || 'kind' in arg || 'scheme' in arg) return {};
  return arg as Partial<T> & Answers;
}
