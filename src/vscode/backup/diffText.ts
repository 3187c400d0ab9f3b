import type { DiffChange, DiffCounts, DiffResult } from '../../core/backup/diff';
import { formatBytes } from '../../core/local/limits';
import { snapshotTime } from './uri';

/** The changes at or below `folder` (`/a/b`), or all of them. Folders end in '/', as restic diff prints them. */
export function changesUnder(changes: DiffChange[], folder: string | undefined): DiffChange[] {
  if (!folder || folder === '/') return changes;
  const dir = `${folder.replace(/\/$/, '')}/`;
  return changes.filter((c) => c.path.startsWith(dir));
}

function counts(c: DiffCounts): string {
  return `${c.files} files, ${c.dirs} folders, ${c.others} others; ${c.dataBlobs} data and ${c.treeBlobs} tree blobs, ${formatBytes(c.bytes)}`;
}

/** The results document of "Compare Snapshots": restic diff's lines, then what each side holds that the other lacks. */
export function diffText(r: DiffResult, changes: DiffChange[], folder: string | undefined): string {
  const name = (s: DiffResult['source']) => `${s.id.slice(0, 8)} (${snapshotTime(s.time)}, ${s.hostname ?? ''}: ${s.paths.join(', ')})`;
  const lines = [`Comparing snapshot ${name(r.source)}`, `           with ${name(r.target)}${folder && folder !== '/' ? `, under ${folder}` : ''}`, ''];
  if (changes.length === 0) lines.push('No differences.');
  for (const c of changes) lines.push(`${c.modifier.padEnd(5)}${c.path}`);
  const by = (m: string) => changes.filter((c) => c.modifier.includes(m)).length;
  lines.push(
    '',
    `${by('+')} added, ${by('-')} removed, ${by('M')} changed in content, ${by('T')} changed in type, ${by('U')} changed in metadata only.`,
    '+ added   - removed   M content changed (M? with the same metadata: the data changed on disk unnoticed)   T type changed   U metadata only',
  );
  if (!folder || folder === '/') lines.push('', `Only in the newer: ${counts(r.added)}`, `Only in the older: ${counts(r.removed)}`);
  return `${lines.join('\n')}\n`;
}
